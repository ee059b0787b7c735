// The stale-data banner: a red bar across the top while the live feed is silent, so nobody trusts a frozen map.
export class StaleBanner {
    private el: HTMLElement;

    constructor() {
        this.el = document.createElement('div');
        this.el.className = 'om-stale';
        this.el.setAttribute('role', 'alert');
        this.el.hidden = true;
        document.body.append(this.el);
    }

    /** Shows (stale) or hides the banner; `since` is when the feed last delivered anything. */
    set(stale: boolean, since: Date): void {
        if (stale) {
            const t = since.toLocaleTimeString('zh-CN', {hour12: false});
            this.el.textContent = `数据已停止更新 · live feed stalled since ${t}`;
            this.el.title = '地图与指标停留在此时刻的状态，连接恢复后自动更新 · the map and gauges show the state of that time and update once the feed is back';
        }
        this.el.hidden = !stale;
        document.body.classList.toggle('om-is-stale', stale);
    }
}
