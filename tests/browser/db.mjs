// Reads the demo database directly (psql on $DATABASE_URL) for facts no API gives out on purpose: real names and ID numbers.
import {execFile} from 'node:child_process';

/**
 * Runs one SELECT and resolves with its rows as objects. psql prints each row as one JSON object
 * (`row_to_json`), so names with tabs or separators cannot break the parsing. `params` are bound
 * as psql variables (:'p1', :'p2', …) and quoted by psql, never spliced into the text by us.
 */
export function query(sql, params = []) {
    // the superuser's socket URL: these reads are of what the service itself may not show
    const url = process.env.PSQL_URL ?? process.env.DATABASE_URL;
    if (!url) throw new Error('PSQL_URL (or DATABASE_URL) is not set');
    const vars = params.flatMap((p, i) => ['-v', `p${i + 1}=${p}`]);
    const wrapped = `SELECT row_to_json(t) FROM (${sql}) t`;
    return new Promise((resolve, reject) => {
        // -c does not interpolate variables; a script on stdin does.
        const child = execFile(process.env.PSQL ?? 'psql', [url, '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', ...vars], (err, stdout, stderr) => {
            if (err) return reject(new Error(`psql: ${stderr || err.message}\n${sql}`));
            resolve(stdout.split('\n').filter(Boolean).map(line => JSON.parse(line)));
        });
        child.stdin.end(`${wrapped};\n`);
    });
}
