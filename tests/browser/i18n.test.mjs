// The dictionaries of frontend/src/i18n: every key in both languages, no value empty, both fill the same {slots}.
// Run with the browser tests (node --test from frontend/); the TypeScript is transpiled here with the frontend's own compiler.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';

const src = fileURLToPath(new URL('../../frontend/src/i18n/', import.meta.url));
const ts = createRequire(join(src, '../../package.json'))('typescript');

/** Imports one dictionary module (its only imports are types, which transpiling drops). */
async function load(name) {
    const js = ts.transpileModule(readFileSync(join(src, `${name}.ts`), 'utf8'), {compilerOptions: {module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022}}).outputText;
    // imported from a data: URL, so no file is left behind
    return (await import(`data:text/javascript,${encodeURIComponent(js)}`))[name];
}

const slots = text => [...text.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort();

test('every message key has a Chinese and an English text, none empty, with the same slots', async () => {
    const zh = await load('zh');
    const en = await load('en');
    assert.ok(Object.keys(zh).length > 100, 'the dictionaries were read');
    assert.deepEqual(Object.keys(en).sort(), Object.keys(zh).sort(), 'the same keys in zh.ts and en.ts');
    for (const [key, text] of Object.entries(zh)) {
        assert.match(key, /^[a-z0-9_]+(\.[a-z0-9_]+)+$/, `${key}: keys are <area>.<name>`);
        for (const [lang, value] of [['zh', text], ['en', en[key]]]) {
            assert.equal(typeof value, 'string', `${key} (${lang})`);
            assert.ok(value.trim() !== '', `${key} (${lang}) is empty`);
        }
        assert.deepEqual(slots(en[key]), slots(text), `${key}: the same {slots} in both languages`);
    }
});

test('every message key the API sends (figures, alerts, funds warnings, public lists) is in the dictionaries', async () => {
    const zh = await load('zh');
    const backend = p => readFileSync(fileURLToPath(new URL(`../../backend/${p}`, import.meta.url)), 'utf8');
    const definitions = backend('src/figures/definitions.rs');
    const figures = [...definitions.matchAll(/(?:count|rate)\(\s*"(\w+)"|key: "(\w+)"/g)].map(m => m[1] ?? m[2]);
    assert.ok(figures.length >= 19, 'the figure keys were read');
    const sent = [
        ...figures.flatMap(k => [`figure.${k}.name`, `figure.${k}.definition`]),
        ...[...backend('src/reports/alerts.rs').matchAll(/"(alert\.\w+)"/g)].map(m => m[1]),
        ...[...backend('sql/funds/warnings.sql').matchAll(/'(funds\.warning\.\w+)'/g)].map(m => m[1]),
    ];
    const disclosure = backend('src/disclosure/mod.rs');
    sent.push(...[...disclosure.matchAll(/key: "(\w+)"/g)].map(m => `list.${m[1]}`));
    const columns = disclosure.slice(disclosure.indexOf('const PERSON'), disclosure.indexOf('];\n\n'));
    sent.push(...[...columns.matchAll(/"(\w+)"/g)].map(m => `list.column.${m[1]}`));
    for (const key of sent) assert.ok(Object.hasOwn(zh, key), `${key} is sent by the API but missing from src/i18n`);
});
