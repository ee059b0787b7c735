// Entry point of the public disclosure platform (/public/, 阳光征收): no login; published projects, their documents and lists, residents' services.
import '@fontsource-variable/noto-sans-sc';
import '../tokens.css';
import '../style.css';
import '../panels/panels.css';
import '../ui/controls.css';
import './disclosure.css';
import {el} from '../ui/dom';
import {fetchPublicProject, fetchPublicProjects} from './api';
import {LookupBox} from './lookup';
import {ObjectionBox, TicketBox} from './objection';
import {projectPage} from './project';
import {projectList} from './projects';

declare global {
    interface Window {
        /** The route last drawn completely, for the browser tests. */
        __public?: {shown: string};
    }
}

function start(): void {
    const app = document.getElementById('app')!;
    const top = el('header', 'pub-top');
    const brand = el('a', 'pub-brand', '阳光征收');
    brand.href = '#';
    brand.append(el('small', undefined, '公开平台'));
    top.append(brand, el('p', 'pub-tagline', '征收项目信息公开 · 五榜公示 · 居民查询与申诉'));

    const content = el('main', 'pub-content');
    const aside = el('aside', 'pub-aside');
    aside.setAttribute('aria-label', '居民服务');
    const tickets = new TicketBox();
    const objection = new ObjectionBox(t => tickets.set(t));
    const lookup = new LookupBox(r => objection.prefill(r));
    aside.append(lookup.el, objection.el, tickets.el);
    const layout = el('div', 'pub-layout');
    layout.append(content, aside);
    const foot = el('footer', 'pub-foot', '公示内容中的姓名、身份证号已按个人信息保护要求隐去部分字符。');
    app.append(top, layout, foot);

    let generation = 0;
    const route = async () => {
        const g = ++generation;
        const m = /^#p\/(.+)$/.exec(location.hash);
        const code = m ? decodeURIComponent(m[1]) : null;
        content.replaceChildren(el('p', 'pub-card om-empty', '正在读取…'));
        window.__public = {shown: ''};
        try {
            if (code) {
                const doc = await fetchPublicProject(code);
                if (g !== generation) return;
                document.title = `${doc.project.name} · 阳光征收 公开平台`;
                content.replaceChildren(...projectPage(doc.project, doc.documents));
            } else {
                const projects = await fetchPublicProjects();
                if (g !== generation) return;
                document.title = '阳光征收 公开平台';
                content.replaceChildren(projectList(projects));
            }
            window.scrollTo(0, 0);
            window.__public = {shown: code ?? 'home'};
        } catch (err) {
            if (g !== generation) return;
            const notFound = (err as {status?: number}).status === 404;
            const back = el('a', 'om-link', '返回项目列表');
            back.href = '#';
            const p = el('p', 'pub-card', notFound ? '该项目不存在或尚未公开。' : '暂时无法读取公示信息，请稍后再试。');
            p.append(' ', back);
            content.replaceChildren(p);
        }
    };
    window.addEventListener('hashchange', () => void route());
    void route();
}

start();
