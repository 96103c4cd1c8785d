/**
 * Logging in from the workbench: the bar's button opens a small dialog (user name, password); anonymous
 * users can explore and edit but not save. After login or logout the context's user changes (and the
 * scenario panel enables or disables saving).
 */
import { login, logout } from '../api/client.ts';
import { t } from '../i18n.ts';
import type { Workbench } from './state.ts';

/** Wires the bar's login button and its dialog. */
export function createAuth(ctx: Workbench): { dispose(): void } {
  const button = document.getElementById('wb-login') as HTMLButtonElement;
  const dialog = document.createElement('dialog');
  dialog.className = 'wb-dialog';
  dialog.id = 'wb-login-dialog';
  const form = document.createElement('form');
  form.method = 'dialog';
  const title = document.createElement('h2');
  const grid = document.createElement('div');
  grid.className = 'wb-form';
  const userLabel = document.createElement('label');
  const user = document.createElement('input');
  user.id = 'wb-login-user';
  user.autocomplete = 'username';
  user.required = true;
  userLabel.htmlFor = user.id;
  const passLabel = document.createElement('label');
  const pass = document.createElement('input');
  pass.id = 'wb-login-password';
  pass.type = 'password';
  pass.autocomplete = 'current-password';
  pass.required = true;
  passLabel.htmlFor = pass.id;
  grid.append(userLabel, user, passLabel, pass);
  const error = document.createElement('p');
  error.className = 'wb-error';
  error.setAttribute('role', 'alert');
  const row = document.createElement('div');
  row.className = 'wb-row';
  const ok = document.createElement('button');
  ok.type = 'submit';
  ok.id = 'wb-login-submit';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.addEventListener('click', () => dialog.close());
  row.append(ok, cancel);
  form.append(title, grid, row, error);
  dialog.append(form);
  document.body.append(dialog);

  const text = () => {
    const u = ctx.user();
    button.textContent = u ? t('workbench.auth.logout', { name: u.username }) : t('workbench.auth.login');
    title.textContent = t('workbench.auth.title');
    userLabel.textContent = t('workbench.auth.user');
    passLabel.textContent = t('workbench.auth.password');
    ok.textContent = t('workbench.auth.submit');
    cancel.textContent = t('workbench.auth.cancel');
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    login(user.value, pass.value).then(
      (u) => {
        pass.value = '';
        ctx.setUser(u);
        dialog.close();
        button.focus();
      },
      (err: unknown) => {
        error.textContent = t('workbench.auth.failed', { message: (err as Error).message });
      },
    );
  });
  const onClick = () => {
    if (ctx.user()) {
      void logout().then(() => ctx.setUser(null));
      return;
    }
    error.textContent = '';
    dialog.showModal();
    user.focus();
  };
  button.addEventListener('click', onClick);
  const off = [ctx.on('scenario', text), ctx.on('language', text)];
  text();
  return {
    dispose() {
      off.forEach((f) => f());
      button.removeEventListener('click', onClick);
      dialog.remove();
    },
  };
}
