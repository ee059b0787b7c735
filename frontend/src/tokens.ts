// token('--om-…'): a colour of tokens.css for what cannot use CSS variables (MapLibre paint, ECharts options), read from the same file at build time.
import css from './tokens.css?raw';

/** Every `--om-name: value;` of tokens.css, as written (var() references resolved by token()). */
const TOKENS = new Map([...css.matchAll(/(--om-[\w-]+)\s*:\s*([^;]+);/g)].map(m => [m[1], m[2].trim()]));

/** The value of a token; throws on a name tokens.css does not define, so a typo fails at start-up, not as a black map. */
export function token(name: `--om-${string}`): string {
    const value = TOKENS.get(name);
    if (value === undefined) throw new Error(`tokens.css has no ${name}`);
    const ref = /^var\((--om-[\w-]+)\)$/.exec(value);
    return ref ? token(ref[1] as `--om-${string}`) : value;
}
