// When the session lapses mid-use (tiles answer 401): log in again (silently for a kiosk) and fetch the failed tiles anew.
import type {Map as MlMap} from 'maplibre-gl';
import {TILE_LAYERS} from '../api/tilejson';
import {t} from '../i18n';
import {askForLogin} from './form';
import {renewSession} from './session';

export function renewOnExpiry(map: MlMap, kiosk: string | null): void {
    let renewing: Promise<void> | null = null;
    map.on('error', e => {
        const status = (e.error as {status?: number} | undefined)?.status;
        // A listener silences MapLibre's own console report of errors: keep reporting the others.
        if (status !== 401) console.error(e.error);
        if (status !== 401 || renewing) return;
        renewing = (async () => {
            if (!(await renewSession(kiosk))) await askForLogin(t('auth.expired'));
            for (const source of TILE_LAYERS) if (map.getSource(source)) map.refreshTiles(source);
        })().finally(() => { renewing = null; });
    });
}
