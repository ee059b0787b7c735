// The basemap under the data: a configured one (/api/basemaps) or a template from the URL (`?basemap=`), drawn below every data layer (raster tiles as they are, a local vector file in a plain grey style), and the layer switcher that picks one (remembered per browser).
import type {ExpressionSpecification, IControl, LayerSpecification, Map as MlMap, SourceSpecification} from 'maplibre-gl';
import {onLang, t} from '../i18n';
import type {Basemap} from '../site';

const PREFIX = 'basemap-';
const STORED = 'onemap.basemap';

/**
 * A vector basemap's layers: each source layer's areas, lines and points in muted greys, quiet
 * under the data's status colours (a file brings no style of its own that suits every map).
 */
function vectorLayers(source: string, sourceLayers: string[]): LayerSpecification[] {
    return sourceLayers.flatMap((sourceLayer, j): LayerSpecification[] => {
        const id = `${source}-${j}`;
        const common = {source, 'source-layer': sourceLayer};
        // MapLibre names a multi-part geometry's type either way, by version
        const is = (...types: string[]) => ['in', ['geometry-type'], ['literal', types.flatMap(t => [t, `Multi${t}`])]] as ExpressionSpecification;
        return [
            {id: `${id}-fill`, type: 'fill', ...common, filter: is('Polygon'), paint: {'fill-color': '#dfe3e8', 'fill-opacity': 0.9}},
            {id: `${id}-line`, type: 'line', ...common, filter: is('Polygon', 'LineString'), paint: {'line-color': '#a9b1bb', 'line-width': 0.8}},
            {id: `${id}-point`, type: 'circle', ...common, filter: is('Point'), paint: {'circle-color': '#8d96a1', 'circle-radius': 2}},
        ];
    });
}

/** The sources and layers of a basemap, bottom first. */
export function basemapStyle(b: Basemap): {sources: Record<string, SourceSpecification>; layers: LayerSpecification[]} {
    const sources: Record<string, SourceSpecification> = {};
    const layers: LayerSpecification[] = [];
    b.layers.forEach((layer, i) => {
        const id = `${PREFIX}${i}`;
        const attribution = i === 0 && b.attribution ? {attribution: b.attribution} : {};
        if (layer.vector_layers?.length) {
            sources[id] = {type: 'vector', tiles: layer.tiles, maxzoom: layer.max_zoom, ...attribution};
            layers.push(...vectorLayers(id, layer.vector_layers));
            return;
        }
        sources[id] = {type: 'raster', tiles: layer.tiles, tileSize: 256, maxzoom: layer.max_zoom, ...attribution};
        layers.push({id, type: 'raster', source: id, paint: {'raster-opacity': 0.85}});
    });
    return {sources, layers};
}

/** A basemap from an XYZ template given in the URL (`?basemap=https://…/{z}/{x}/{y}.png`). */
export const templateBasemap = (url: string): Basemap => ({id: 'url', name: url, layers: [{tiles: [url], max_zoom: 19}], attribution: null});

/** Replaces the map's basemap (none: `null`) below the data, without reloading the style. */
export function setBasemap(map: MlMap, b: Basemap | null): void {
    for (const layer of map.getStyle().layers ?? []) if (layer.id.startsWith(PREFIX)) map.removeLayer(layer.id);
    for (const id of Object.keys(map.getStyle().sources ?? {})) if (id.startsWith(PREFIX)) map.removeSource(id);
    if (!b) return;
    // right above the background, below every data layer
    const before = map.getStyle().layers?.find(l => l.type !== 'background')?.id;
    const {sources, layers} = basemapStyle(b);
    for (const [id, source] of Object.entries(sources)) map.addSource(id, source);
    for (const layer of layers) map.addLayer(layer, before);
}

/**
 * Which basemap a page starts with: `?basemap=` (an id, or a template), else the pinned one (the
 * wall's), else the one this browser last picked; none by default: the map stays offline.
 */
export function chooseBasemap(list: Basemap[], param: string | null, pinned: string | null = null, remembered = true): Basemap | null {
    const byId = (id: string | null) => list.find(b => b.id === id) ?? null;
    if (param) return byId(param) ?? (/\{z\}/.test(param) ? templateBasemap(param) : null);
    if (pinned) return byId(pinned);
    return remembered ? byId(localStorage.getItem(STORED)) : null;
}

/** The layer switcher: "no basemap" and each configured one (the cockpit adds it only when there is one to choose). */
export class BasemapControl implements IControl {
    private root = document.createElement('details');
    private offLang?: () => void;

    constructor(private list: Basemap[], private current: Basemap | null) {}

    onAdd(map: MlMap): HTMLElement {
        this.root.className = 'maplibregl-ctrl maplibregl-ctrl-group om-basemaps';
        const render = () => {
            const summary = document.createElement('summary');
            summary.textContent = t('layer.basemap.title');
            const options = [null, ...this.list].map(b => {
                const label = document.createElement('label');
                const input = document.createElement('input');
                input.type = 'radio';
                input.name = 'om-basemap';
                input.value = b?.id ?? '';
                input.checked = (this.current?.id ?? null) === (b?.id ?? null);
                input.addEventListener('change', () => {
                    this.current = b;
                    setBasemap(map, b);
                    localStorage.setItem(STORED, b?.id ?? '');
                });
                label.append(input, document.createTextNode(b ? b.name : t('layer.basemap.none')));
                return label;
            });
            this.root.replaceChildren(summary, ...options);
        };
        render();
        this.offLang = onLang(render);
        return this.root;
    }

    onRemove(): void {
        this.offLang?.();
        this.root.remove();
    }
}
