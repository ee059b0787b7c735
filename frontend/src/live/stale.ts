// The stale-data banner: a red bar across the top while the live feed is silent, so nobody trusts a frozen map.
import {clockTime} from '../format';
import {t} from '../i18n';

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
            const time = clockTime(since);
            this.el.textContent = t('live.stalled', {time});
            this.el.title = t('live.stalled_hint');
        }
        this.el.hidden = !stale;
        document.body.classList.toggle('om-is-stale', stale);
    }
}
