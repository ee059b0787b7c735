// ESLint flat config for the frontend: typescript-eslint's type-aware recommended rules over src/ and the Vite config (run by `npm run lint`, in CI).
import js from '@eslint/js';
import {defineConfig} from 'eslint/config';
import tseslint from 'typescript-eslint';

// ESLint's own defineConfig: typescript-eslint deprecates its tseslint.config() helper for it
export default defineConfig(
    {ignores: ['dist/', 'node_modules/']},
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname},
        },
    },
    {
        // this file itself is plain JS outside tsconfig: lint it without type information
        files: ['eslint.config.js'],
        ...tseslint.configs.disableTypeChecked,
    },
);
