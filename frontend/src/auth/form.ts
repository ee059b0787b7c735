// The login form shown before the map when there is no session: 用户名 / 密码 / 登录, English beside.
import './auth.css';
import {login, loginRefusal, type User} from './api';

function field(zh: string, en: string, input: HTMLInputElement): HTMLLabelElement {
    const label = document.createElement('label');
    label.className = 'om-login-field';
    const name = document.createElement('span');
    name.innerHTML = `${zh} <small>${en}</small>`;
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
        form.setAttribute('aria-label', '登录 Log in');

        const title = document.createElement('h1');
        title.innerHTML = '征拆一张图 <small>onemap</small>';
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
        submit.innerHTML = '登录 <small>Log in</small>';

        form.append(title, field('用户名', 'User name', user), field('密码', 'Password', pass), message, submit);
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
