// Entry point of the public disclosure platform (/public/, 阳光征收): no login; published projects, their documents and lists, residents' services.
import '@fontsource-variable/noto-sans-sc';
import '../tokens.css';
import '../style.css';
import '../panels/panels.css';
import '../procedure/timeline.css';
import '../ui/controls.css';
import './disclosure.css';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {fetchPublicProject, fetchPublicProjects} from './api';
import {estateList, estatePage} from './estates';
import {fetchPublicEstates} from '../housing/api';
import {LookupBox} from './lookup';
import {ObjectionBox, TicketBox} from './objection';
import {projectPage} from './project';
import {projectList} from './projects';
import {loadSite} from '../site';

declare global {
    interface Window {
        /** The route last drawn completely, for the browser tests. */
        __public?: {shown: string};
    }
}

function start(): void {
    const app = document.getElementById('app')!;
    const top = el('header', 'pub-top');
    const brand = el('a', 'pub-brand', zhText('public.main.brand'));
    brand.href = '#';
    brand.append(el('small', undefined, zhText('public.main.platform')));
    const nav = el('nav', 'pub-nav');
    const projectsLink = el('a', 'om-link', zhText('public.main.projects'));
    projectsLink.href = '#';
    const estatesLink = el('a', 'om-link', zhText('public.main.estates'));
    estatesLink.href = '#estates';
    nav.append(projectsLink, estatesLink);
    top.append(brand, el('p', 'pub-tagline', zhText('public.main.tagline')), nav);

    const content = el('main', 'pub-content');
    const aside = el('aside', 'pub-aside');
    aside.setAttribute('aria-label', zhText('public.main.services'));
    const tickets = new TicketBox();
    const objection = new ObjectionBox(t => tickets.set(t));
    const lookup = new LookupBox(r => objection.prefill(r));
    aside.append(lookup.el, objection.el, tickets.el);
    const layout = el('div', 'pub-layout');
    layout.append(content, aside);
    const foot = el('footer', 'pub-foot', zhText('public.main.privacy'));
    app.append(top, layout, foot);

    let generation = 0;
    let stopFeed = () => {};
    const route = async () => {
        const g = ++generation;
        stopFeed();
        stopFeed = () => {};
        const m = /^#p\/(.+)$/.exec(location.hash);
        const code = m ? decodeURIComponent(m[1]) : null;
        const e = /^#e\/(.+)$/.exec(location.hash);
        const estate = e ? decodeURIComponent(e[1]) : null;
        content.replaceChildren(el('p', 'pub-card om-empty', zhText('public.common.reading')));
        window.__public = {shown: ''};
        try {
            if (estate) {
                const page = await estatePage(estate);
                if (g !== generation) return page.stop();
                stopFeed = page.stop;
                document.title = page.title;
                content.replaceChildren(...page.nodes);
            } else if (location.hash === '#estates') {
                const estates = await fetchPublicEstates();
                if (g !== generation) return;
                document.title = zhText('public.estates.list_title');
                content.replaceChildren(estateList(estates));
            } else if (code) {
                const doc = await fetchPublicProject(code);
                if (g !== generation) return;
                document.title = zhText('public.main.project_title', {project: doc.project.name});
                content.replaceChildren(...projectPage(doc.project, doc.documents, doc.outline, doc.steps, doc.nine));
            } else {
                const projects = await fetchPublicProjects();
                if (g !== generation) return;
                document.title = zhText('public.main.title');
                content.replaceChildren(projectList(projects, fetchPublicProjects));
            }
            window.scrollTo(0, 0);
            window.__public = {shown: estate ? `estate:${estate}` : location.hash === '#estates' ? 'estates' : code ?? 'home'};
        } catch (err) {
            if (g !== generation) return;
            const notFound = (err as {status?: number}).status === 404;
            const back = el('a', 'om-link', zhText('public.main.back'));
            back.href = '#';
            const p = el('p', 'pub-card', notFound ? zhText('public.main.not_found') : zhText('public.main.unavailable'));
            p.append(' ', back);
            content.replaceChildren(p);
        }
    };
    window.addEventListener('hashchange', () => void route());
    void route();
}

// the city's time zone first: the page shows dates and times
void loadSite().finally(start);
