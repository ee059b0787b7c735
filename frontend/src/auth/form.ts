// The login form shown before the map when there is no session: 用户名 / 密码 / 登录, in the page's language.
import './auth.css';
import {t, type MessageKey} from '../i18n';
import {login, loginRefusal, type User} from './api';

function field(key: MessageKey, input: HTMLInputElement): HTMLLabelElement {
    const label = document.createElement('label');
    label.className = 'om-login-field';
    const name = document.createElement('span');
    name.textContent = t(key);
    label.append(name, input);
    return label;
}

/** Shows the form over the page and resolves with the user once a login succeeds; the form is then removed. */
export function askForLogin(notice?: string): Promise<User> {
    return new Promise(resolve => {
        const overlay = document.createElement('div');
        overlay.className = 'om-login';
        const form = document.createElement('form');
        form.className = 'om-login-card';
        form.setAttribute('aria-label', t('auth.login'));

        const title = document.createElement('h1');
        title.textContent = t('common.onemap');
        // the product's name beside the Chinese one; English reads it once
        if (title.textContent !== 'onemap') title.insertAdjacentHTML('beforeend', ' <small>onemap</small>');
        const user = document.createElement('input');
        Object.assign(user, {name: 'username', autocomplete: 'username', required: true, spellcheck: false});
        const pass = document.createElement('input');
        Object.assign(pass, {name: 'password', type: 'password', autocomplete: 'current-password', required: true});
        const message = document.createElement('p');
        message.className = 'om-login-error';
        message.setAttribute('role', 'alert');
        message.textContent = notice ?? '';
        const submit = document.createElement('button');
        submit.type = 'submit';
        submit.textContent = t('auth.login');

        form.append(title, field('auth.username', user), field('auth.password', pass), message, submit);
        overlay.append(form);
        document.body.append(overlay);
        user.focus();

        // the browser ignores a listener's promise: `void` says so; the body catches its own errors
        form.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            submit.disabled = true;
            message.textContent = '';
            try {
                const u = await login({username: user.value.trim(), password: pass.value});
                overlay.remove();
                resolve(u);
            } catch (err) {
                message.textContent = loginRefusal(err);
                pass.select();
            } finally {
                submit.disabled = false;
            }
        })());
    });
}
