// The colour of each work group on the map, the legend and the desk: the project's groups in order take the Okabe–Ito colours; a building held by no group (or by several) is grey.
import {token} from '../tokens';

/*
 * Okabe–Ito again (see map/palette.ts), ordered so that neighbouring groups (bands of a site
 * from west to east) differ in hue family and lightness: blue, orange, green, pink, sky,
 * vermillion, yellow. A project with more than seven groups repeats them.
 */
export const GROUP_COLORS = ['--om-oi-blue', '--om-oi-orange', '--om-oi-green', '--om-oi-pink', '--om-oi-sky', '--om-oi-vermillion', '--om-oi-yellow']
    .map(name => token(name as `--om-${string}`));
/** Neither one group's: none, or several groups among the building's households. */
export const NO_GROUP_COLOR = token('--om-gray-260');

/** Group id → colour, for the groups of one project in the order the API lists them. */
export function groupColours(ids: number[]): Map<number, string> {
    return new Map(ids.map((id, i) => [id, GROUP_COLORS[i % GROUP_COLORS.length]]));
}

/** The colour of a group not in `known` (another project's): by its id, so it stays the same across redraws. */
export const colourById = (id: number): string => GROUP_COLORS[id % GROUP_COLORS.length];
