// Browser tests: the real passpro server (demo database) driven through its real pages by
// Debian chromium with playwright-core. Prints "ok - name" / "not ok - name: error" per test,
// then exactly "N passed, N failed"; exit status 1 when a test failed or the run could not start.
//
//   PASSPRO_BIN=build/passpro SCREENSHOT_DIR=/tmp/shots node tests/browser/run.mjs
//
// PASSPRO_BIN defaults to build/passpro; CHROMIUM to /usr/bin/chromium. SCREENSHOT_DIR, when set,
// receives full-page screenshots of /connexion, /accueil, the beneficiary pages (/app, an
// offer, /app/reservations), the counter (/guichet, guichet-*.png) and /backoffice.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const BIN = resolve(process.env.PASSPRO_BIN || 'build/passpro');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.SCREENSHOT_DIR || '';
const TEST_TIMEOUT_MS = 20_000;
const STEP_TIMEOUT_MS = 10_000; // one Playwright action or wait
const START_TIMEOUT_MS = 15_000; // server start

// ---------------------------------------------------------------------------------------------
// Small helpers

class AssertionError extends Error {}

function assert(cond, message) {
  if (!cond) throw new AssertionError(message);
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: délai dépassé (${ms} ms)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function oneLine(err) {
  const text = err && err.message ? err.message : String(err);
  // Playwright messages carry a multi-line call log: keep the first line plus a short tail.
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(0, 3).join(' | ');
}

// ---------------------------------------------------------------------------------------------
// The server

let server = null; // child process
let serverOutput = ''; // stdout + stderr, shown when something goes wrong
let tempDir = null;

function startServer() {
  tempDir = mkdtempSync(join(tmpdir(), 'passpro-browser-'));
  const args = ['demo', '--listen', '127.0.0.1:0', '--db', `sqlite:${join(tempDir, 'demo.db')}`];
  server = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return withTimeout(
    new Promise((resolveStart, rejectStart) => {
      let pending = '';
      const lines = [];
      server.on('error', (e) => rejectStart(new Error(`lancement de ${BIN} impossible : ${e.message}`)));
      server.on('exit', (code, signal) =>
        rejectStart(new Error(`le serveur s'est arrêté (code ${code}, signal ${signal}) :\n${serverOutput}`)),
      );
      server.stderr.setEncoding('utf8');
      server.stderr.on('data', (d) => (serverOutput += d));
      server.stdout.setEncoding('utf8');
      server.stdout.on('data', (d) => {
        serverOutput += d;
        pending += d;
        let nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).replace(/\r$/, '');
          pending = pending.slice(nl + 1);
          lines.push(line);
          const m = line.match(/^passpro: à l'écoute sur (https?:\/\/\S+)$/);
          if (m) {
            try {
              resolveStart({ base: m[1].replace(/\/$/, ''), ...parseLogins(lines) });
            } catch (e) {
              rejectStart(e);
            }
          }
        }
      });
    }),
    START_TIMEOUT_MS,
    'démarrage du serveur',
  );
}

// The login printed on the first "email / password" line after the comment starting with `marker`.
function loginAfter(lines, marker) {
  const at = lines.findIndex((l) => l.startsWith('#') && l.slice(1).trim().startsWith(marker));
  assert(at >= 0, `pas de commentaire « # ${marker} » dans la sortie de demo`);
  for (const line of lines.slice(at + 1)) {
    if (line.startsWith('#')) continue;
    const m = line.match(/^(\S+@\S+) \/ (.+)$/);
    if (m) return { email: m[1], password: m[2] };
  }
  throw new AssertionError(`pas d'identifiant après « # ${marker} »`);
}

function parseLogins(lines) {
  return {
    director: loginAfter(lines, 'Directeur du Musée'),
    admin: loginAfter(lines, 'Back office'),
    ines: loginAfter(lines, 'Bénéficiaire de 18 ans'),
    hugo: loginAfter(lines, 'Bénéficiaire de 17 ans'),
  };
}

async function stopServer() {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  server = null;
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = null;
}

// ---------------------------------------------------------------------------------------------
// The browser

let browser = null;
let env = null; // { base, director, admin, ines, hugo }

// A page in its own fresh context (no cookies), recording console errors, uncaught exceptions,
// CSP violations and failed requests.
async function freshPage() {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => {
    const where = (err.stack || '').split('\n').find((l) => /^\s*at /.test(l));
    problems.push(`exception: ${err.message}${where ? ` (${where.trim()})` : ''}`);
  });
  page.on('requestfailed', (req) => problems.push(`requête échouée: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400 && res.request().resourceType() !== 'document')
      problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { context, page, problems };
}

// CSP violations seen by the current document.
async function cspViolations(page) {
  const csp = await page.evaluate(() => window.__cspViolations || []);
  return csp.map((v) => `CSP: ${v}`);
}

// Everything that went wrong on the page so far: console errors, exceptions, failed requests,
// CSP violations. Test 1 asserts on all of it; the later tests only on CSP violations, so that
// one page-wide problem (say in the shared header) fails one test, not all of them.
async function pageProblems(page, problems) {
  return [...problems, ...(await cspViolations(page))];
}

function url(path) {
  return env.base + path;
}

function pathOf(page) {
  return new URL(page.url()).pathname;
}

async function login(page, { email, password }) {
  await page.goto(url('/connexion'));
  await page.getByLabel('Adresse email').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Se connecter', exact: true }).click(),
  ]);
}

async function screenshot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

// ---------------------------------------------------------------------------------------------
// The tests

const tests = [];
function test(name, fn) {
  tests.push({ name, fn });
}

test('/connexion: formulaire en français, DSFR chargé, sans erreur console ni CSP', async () => {
  const { context, page, problems } = await freshPage();
  try {
    const res = await page.goto(url('/connexion'));
    assert(res.status() === 200, `statut ${res.status()} au lieu de 200`);
    assert((await page.getAttribute('html', 'lang')) === 'fr', 'html lang n\'est pas "fr"');
    await page.getByLabel('Adresse email').waitFor();
    assert((await page.getByLabel('Adresse email').getAttribute('type')) === 'email', 'champ email pas de type email');
    assert((await page.getByLabel('Mot de passe').getAttribute('type')) === 'password', 'champ mot de passe pas de type password');
    const button = page.getByRole('button', { name: 'Se connecter', exact: true });
    assert((await button.count()) === 1, 'bouton « Se connecter » absent ou en double');
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'connexion.png');

    const css = await page.evaluate(() => {
      const sheets = [...document.styleSheets].map((s) => {
        let rules = -1;
        try {
          rules = s.cssRules.length;
        } catch {
          /* cross-origin: not ours */
        }
        return { href: s.href || '', rules };
      });
      const btn = getComputedStyle(document.querySelector('main button.fr-btn[type=submit]'));
      const body = getComputedStyle(document.body);
      const header = document.querySelector('header.fr-header');
      const marianne = [...document.fonts].filter((f) => /marianne/i.test(f.family) && f.status === 'loaded').length;
      return {
        sheets,
        btnBackground: btn.backgroundColor,
        btnColor: btn.color,
        bodyFont: body.fontFamily,
        header: header ? getComputedStyle(header).backgroundColor : null,
        logo: getComputedStyle(document.querySelector('.fr-header .fr-logo')).textTransform,
        marianne,
        dsfrJs: document.documentElement.getAttribute('data-fr-js'),
      };
    });
    const dsfr = css.sheets.find((s) => s.href && new URL(s.href).pathname === '/static/dsfr/dsfr.min.css');
    assert(dsfr, `dsfr.min.css absent de document.styleSheets (${css.sheets.map((s) => s.href).join(', ')})`);
    assert(dsfr.rules > 100, `dsfr.min.css chargé mais vide (${dsfr.rules} règles)`);
    assert(
      css.btnBackground !== 'rgba(0, 0, 0, 0)' && css.btnBackground !== 'transparent',
      `.fr-btn sans fond (background-color ${css.btnBackground})`,
    );
    assert(css.btnBackground === 'rgb(0, 0, 145)', `.fr-btn n'est pas bleu France (${css.btnBackground})`);
    assert(/marianne/i.test(css.bodyFont), `police du corps pas Marianne (${css.bodyFont})`);
    assert(css.marianne > 0, 'aucune police Marianne chargée');
    assert(css.header === 'rgb(255, 255, 255)' && css.logo === 'uppercase', `en-tête DSFR sans style (${css.header}, logo ${css.logo})`);
    assert(css.dsfrJs === 'true', 'le JavaScript DSFR ne s\'est pas lancé (html[data-fr-js] absent)');

    const bad = await pageProblems(page, problems);
    assert(bad.length === 0, `erreurs sur la page : ${bad.join(' ; ')}`);
  } finally {
    await context.close();
  }
});

test('mauvais mot de passe: reste sur /connexion avec le message en français', async () => {
  const { context, page } = await freshPage();
  try {
    await login(page, { email: env.director.email, password: 'pas-le-bon-mot-de-passe' });
    assert(pathOf(page) === '/connexion', `arrivé sur ${page.url()}`);
    const alert = page.locator('.fr-alert--error');
    await alert.waitFor();
    const text = (await alert.innerText()).trim();
    assert(text.includes('Identifiant ou mot de passe incorrect.'), `message affiché : « ${text} »`);
    assert(
      (await page.getByLabel('Adresse email').inputValue()) === env.director.email,
      'l\'adresse saisie n\'est pas conservée',
    );
    assert((await page.getByLabel('Mot de passe').inputValue()) === '', 'le mot de passe est renvoyé dans la page');
    const bad = await cspViolations(page);
    assert(bad.length === 0, `erreurs sur la page : ${bad.join(' ; ')}`);
  } finally {
    await context.close();
  }
});

test('« Mot de passe oublié ? » depuis /connexion : même réponse en français, sans erreur CSP', async () => {
  const { context, page } = await freshPage();
  try {
    await page.goto(url('/connexion'));
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Mot de passe oublié ?' }).click()]);
    assert(pathOf(page) === '/mot-de-passe-oublie', `arrivé sur ${page.url()}`);
    await page.getByRole('button', { name: 'Recevoir le lien' }).click();
    await page.locator('#email-error').waitFor();
    const err = (await page.locator('#email-error').innerText()).trim();
    assert(err === 'Veuillez renseigner votre adresse email.', `erreur à côté du champ : « ${err} »`);
    await page.getByLabel('Adresse email').fill('personne-inconnue@example.com');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Recevoir le lien' }).click()]);
    const text = (await page.locator('.fr-alert--success').innerText()).trim();
    assert(text.startsWith('Si un compte existe avec cette adresse'), `message affiché : « ${text} »`);
    await page.goto(url('/mot-de-passe/nouveau?token=0123'));
    await page.locator('#password').fill('Nouveau-Secret-42');
    await page.locator('#confirmation').fill('Nouveau-Secret-42');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click()]);
    const gone = (await page.locator('#token-error').innerText()).trim();
    assert(gone.includes('n\'est plus valide'), `lien invalide : « ${gone} »`);
    const bad = await cspViolations(page);
    assert(bad.length === 0, `erreurs sur la page : ${bad.join(' ; ')}`);
  } finally {
    await context.close();
  }
});

test('le directeur du musée se connecte et voit ses structures et lieux sur /accueil', async () => {
  const { context, page } = await freshPage();
  try {
    await login(page, env.director);
    assert(pathOf(page) === '/accueil', `arrivé sur ${page.url()} au lieu de /accueil`);
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'accueil.png');
    const main = page.locator('main');
    await main.getByText('Ville de Saint-Aubin').first().waitFor();
    const text = await main.innerText();
    for (const want of ['Ville de Saint-Aubin', 'Musée des Beaux-Arts', 'Jardin des sculptures'])
      assert(text.includes(want), `« ${want} » absent de /accueil`);
    assert(!(await page.content()).includes('Cinéma Le Palace'), '« Cinéma Le Palace » (autre structure) visible');
    const garden = main.locator('tr', { hasText: 'Jardin des sculptures' });
    assert((await garden.count()) === 1, 'ligne « Jardin des sculptures » absente');
    assert((await garden.textContent()).includes('Sans SIRET'), 'le lieu sans SIRET n\'est pas signalé « Sans SIRET »');
    assert(
      (await page.getByRole('button', { name: 'Se déconnecter', exact: true }).count()) === 1,
      'bouton « Se déconnecter » absent',
    );
    const bad = await cspViolations(page);
    assert(bad.length === 0, `erreurs sur la page : ${bad.join(' ; ')}`);
  } finally {
    await context.close();
  }
});

test('« Se déconnecter » ramène à /connexion et /accueil redirige ensuite vers /connexion', async () => {
  const { context, page } = await freshPage();
  try {
    await login(page, env.director);
    assert(pathOf(page) === '/accueil', `connexion : arrivé sur ${page.url()}`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se déconnecter', exact: true }).click()]);
    assert(pathOf(page) === '/connexion', `après déconnexion : ${page.url()}`);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).waitFor();
    assert((await page.getByRole('button', { name: 'Se déconnecter', exact: true }).count()) === 0, 'toujours « Se déconnecter » affiché');
    await page.goto(url('/accueil'));
    assert(pathOf(page) === '/connexion', `/accueil après déconnexion mène à ${page.url()}`);
  } finally {
    await context.close();
  }
});

test('back office: l\'admin voit les demandes et valide « Librairie des Quais »', async () => {
  const { context, page } = await freshPage();
  try {
    await login(page, env.admin);
    assert(pathOf(page) === '/backoffice', `arrivé sur ${page.url()} au lieu de /backoffice`);
    const structures = page.locator('section[aria-labelledby="structures-titre"]');
    const attachments = page.locator('section[aria-labelledby="rattachements-titre"]');
    const sophie = attachments.locator('tr', { hasText: 'sophie.bernard@musee-saint-aubin.test' });
    assert((await sophie.count()) === 1, 'demande de rattachement de sophie.bernard absente');
    const librairie = structures.locator('tr', { hasText: 'Librairie des Quais' });
    assert((await librairie.count()) === 1, '« Librairie des Quais » absente des structures à valider');
    await Promise.all([
      page.waitForNavigation(),
      librairie.getByRole('button', { name: 'Valider', exact: true }).click(),
    ]);
    assert(pathOf(page) === '/backoffice', `après validation : ${page.url()}`);
    const success = page.locator('.fr-alert--success');
    await success.waitFor();
    assert(
      (await success.innerText()).includes('La décision a été enregistrée.'),
      `message : « ${await success.innerText()} »`,
    );
    assert((await structures.locator('tr', { hasText: 'Librairie des Quais' }).count()) === 0, '« Librairie des Quais » toujours à valider');
    assert(
      (await attachments.locator('tr', { hasText: 'sophie.bernard@musee-saint-aubin.test' }).count()) === 1,
      'la demande de sophie.bernard a disparu alors qu\'elle n\'a pas été traitée',
    );
    const bad = await cspViolations(page);
    assert(bad.length === 0, `erreurs sur la page : ${bad.join(' ; ')}`);
  } finally {
    await context.close();
  }
});

test('inscription, puis rattachement à la structure de la collectivité par son SIRET', async () => {
  const { context, page } = await freshPage();
  try {
    await page.goto(url('/inscription'));
    await page.getByLabel('Nom', { exact: true }).fill('Nguyen');
    await page.getByLabel('Prénom').fill('Lina');
    await page.getByLabel('Adresse email').fill('lina.nguyen@musee-saint-aubin.test');
    // A weak password first: the page says why, next to the field, and keeps what was typed.
    await page.getByLabel('Mot de passe').fill('court');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Créer mon compte' }).click()]);
    assert(pathOf(page) === '/inscription', `après mot de passe faible : ${page.url()}`);
    const pwError = await page.locator('.fr-input-group--error .fr-error-text').first().innerText();
    assert(pwError.includes('12 caractères'), `message du mot de passe : « ${pwError} »`);
    assert((await page.getByLabel('Prénom').inputValue()) === 'Lina', 'le prénom saisi a été perdu');
    await page.getByLabel('Mot de passe').fill('Musee-Saint-Aubin-2026');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Créer mon compte' }).click()]);
    assert(pathOf(page) === '/structures/nouvelle', `après inscription : ${page.url()}`);

    // A SIRET with a bad checksum is refused next to its field.
    await page.getByLabel('SIRET du lieu').fill('21330063500018');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continuer' }).click()]);
    const siretError = await page.locator('.fr-input-group--error .fr-error-text').innerText();
    assert(siretError.includes('SIRET'), `message du SIRET : « ${siretError} »`);

    // The museum's SIRET belongs to the town's existing account: a join request is sent.
    await page.getByLabel('SIRET du lieu').fill('213 300 635 00017');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continuer' }).click()]);
    assert(pathOf(page) === '/accueil', `après le SIRET : ${page.url()}`);
    // textContent, not innerText: DSFR badges are upper-cased by CSS.
    const body = await page.locator('main').textContent();
    assert(body.includes('Votre demande de rattachement a été envoyée'), 'pas de confirmation de la demande');
    assert(body.includes('Rattachement en attente'), 'la structure n\'apparaît pas « Rattachement en attente »');
    assert(!body.includes('Jardin des sculptures'), 'les lieux sont visibles avant la validation du rattachement');
    await screenshot(page, 'accueil-rattachement.png');
  } finally {
    await context.close();
  }
});

test('un formulaire posté sans jeton CSRF est refusé (403)', async () => {
  const { context, page } = await freshPage();
  try {
    await page.goto(url('/connexion'));
    const { email, password } = env.director;
    const post = (withToken) =>
      page.evaluate(
        async ({ email, password, withToken }) => {
          const body = new URLSearchParams({ email, password });
          if (withToken) body.set('csrf', document.querySelector('input[name=csrf]').value);
          const r = await fetch('/connexion', {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: body.toString(),
            redirect: 'manual',
          });
          return { status: r.status, type: r.type, text: r.type === 'opaqueredirect' ? '' : await r.text() };
        },
        { email, password, withToken },
      );
    const refused = await post(false);
    assert(refused.status === 403, `sans jeton : statut ${refused.status} au lieu de 403`);
    assert(/formulaire a expiré/.test(refused.text), 'sans jeton : pas de message d\'explication en français');
    const cookies = await context.cookies();
    assert(!cookies.some((c) => /sess/i.test(c.name)), 'sans jeton : une session a quand même été ouverte');
    // Control: the same request with the page's token is accepted (a redirect to /accueil).
    const accepted = await post(true);
    assert(accepted.type === 'opaqueredirect', `avec jeton : réponse ${accepted.type} ${accepted.status} au lieu d'une redirection`);
    await page.goto(url('/accueil'));
    assert(pathOf(page) === '/accueil', `avec jeton : pas connecté (${page.url()})`);
    // A logged-in form without its token is refused too, and the session stays open.
    const logout = await page.evaluate(async () => {
      const r = await fetch('/deconnexion', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: '',
        redirect: 'manual',
      });
      return r.status;
    });
    assert(logout === 403, `/deconnexion sans jeton : statut ${logout} au lieu de 403`);
    await page.goto(url('/accueil'));
    assert(pathOf(page) === '/accueil', 'la session a été fermée par un /deconnexion sans jeton');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Beneficiaries (/app)

const TOKEN_RE = /^[ABCDEFGHJKLMNPQRSTUVWXYZ234567]{6}$/;

// "Crédit restant : 123,00 €" → 12300 (cents), from the credit callout of the page.
async function creditCents(page) {
  const text = (await page.locator('.pp-credit__value').first().textContent()).replace(/\s/g, '');
  const m = text.match(/^(\d+),(\d{2})€$/);
  assert(m, `crédit restant illisible : « ${text} »`);
  return Number(m[1]) * 100 + Number(m[2]);
}

// The raw HTML of @path as served (same cookies), checked for inline script and style.
async function assertNoInline(context, path) {
  const res = await context.request.get(url(path));
  const html = await res.text();
  const inlineScript = [...html.matchAll(/<script\b([^>]*)>/gi)].filter((m) => !/\bsrc=/.test(m[1]));
  assert(inlineScript.length === 0, `${path} : script en ligne (${inlineScript.map((m) => m[0]).join(', ')})`);
  assert(!/<style\b/i.test(html), `${path} : élément <style> en ligne`);
  assert(!/\sstyle\s*=/i.test(html), `${path} : attribut style="..." en ligne`);
  assert(!/\son[a-z]+\s*=/i.test(html), `${path} : gestionnaire d'évènement en ligne (on...=)`);
}

test('bénéficiaire: Inès arrive sur /app, cherche « conférence », réserve la conférence Monet et voit sa contremarque', async () => {
  const { context, page, problems } = await freshPage();
  try {
    await login(page, env.ines);
    assert(pathOf(page) === '/app', `arrivé sur ${page.url()} au lieu de /app`);
    const callout = page.locator('.pp-credit');
    await callout.waitFor();
    const calloutText = await callout.textContent();
    assert(/Crédit restant : \d+,\d{2}\s€/.test(calloutText.replace(/\s+/g, ' ')), `encart du crédit : « ${calloutText.trim()} »`);
    assert(/à utiliser avant le \d{2}\/\d{2}\/\d{4}/.test(calloutText), 'date d\'expiration du crédit absente');
    const before = await creditCents(page);
    const nav = page.locator('nav.fr-nav');
    assert((await nav.getByRole('link', { name: 'Mes réservations' }).count()) === 1, 'menu « Mes réservations » absent');
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'app.png');
    await assertNoInline(context, '/app');

    await page.getByLabel('Que cherchez-vous ?').fill('conférence');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Rechercher' }).click()]);
    assert(pathOf(page) === '/app' && new URL(page.url()).searchParams.get('q') === 'conférence', `recherche : ${page.url()}`);
    const cards = page.locator('.fr-card');
    const cardTitles = await cards.locator('.fr-card__title').allTextContents();
    assert(cardTitles.some((t) => t.includes('Conférence : Monet et la lumière')), `résultats : ${cardTitles.join(' | ')}`);
    assert(!cardTitles.some((t) => t.includes('Carte Musées')), `la recherche n'a pas filtré : ${cardTitles.join(' | ')}`);
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: 'Conférence : Monet et la lumière' }).click(),
    ]);
    assert(/^\/app\/offres\/\d+$/.test(pathOf(page)), `page de l'offre : ${page.url()}`);
    const offerPath = pathOf(page);
    assert((await page.locator('h1').textContent()).includes('Conférence : Monet et la lumière'), 'titre de l\'offre absent');
    const radios = page.locator('input[type=radio][name=stockId]');
    assert((await radios.count()) >= 1, 'aucune date à choisir');
    const slot = page.locator('.pp-slot').first();
    assert((await slot.textContent()).includes('Gratuit'), `tarif de la conférence : « ${(await slot.textContent()).trim()} »`);
    assert((await page.getByLabel('Réserver en Duo (2 places)').count()) === 1, 'choix Duo absent pour une offre Duo');
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'app-offre.png');
    await assertNoInline(context, offerPath);

    await slot.locator('label').click();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Réserver', exact: true }).click()]);
    assert(pathOf(page) === '/app/reservations', `après « Réserver » : ${page.url()}`);
    const booked = new URL(page.url()).searchParams.get('reservee');
    assert(/^\d+$/.test(booked || ''), `pas d'identifiant de réservation dans ${page.url()}`);
    const success = page.locator('.fr-alert--success');
    await success.waitFor();
    assert((await success.textContent()).includes('Réservation confirmée'), `message : « ${await success.textContent()} »`);
    const card = page.locator(`#reservation-${booked}`);
    assert((await card.count()) === 1, 'la réservation confirmée n\'est pas affichée');
    assert((await card.textContent()).includes('Conférence : Monet et la lumière'), 'mauvaise réservation affichée');
    // The confirmed booking comes first, right under the message.
    const firstId = await page.locator('article.pp-booking').first().getAttribute('id');
    assert(firstId === `reservation-${booked}`, `la réservation confirmée n'est pas en haut (${firstId})`);
    const token = (await card.locator('.pp-token').textContent()).trim();
    assert(TOKEN_RE.test(token), `contremarque « ${token} » : pas 6 caractères de l'alphabet`);
    const svgTitle = card.locator('.pp-qr svg title');
    assert((await svgTitle.count()) === 1, 'pas de QR code (<svg> avec <title>)');
    assert((await svgTitle.textContent()).includes(token), 'le titre du QR code ne cite pas la contremarque');
    const cardText = (await card.textContent()).replace(/\s+/g, ' ');
    assert(/Annulable jusqu'au \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/.test(cardText), `limite d'annulation absente : « ${cardText} »`);
    assert((await card.getByRole('button', { name: 'Annuler la réservation' }).count()) === 1, 'bouton « Annuler la réservation » absent');
    const after = await creditCents(page);
    assert(after === before, `le crédit a changé pour une offre gratuite (${before} → ${after} centimes)`);
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'app-reservations.png');
    await assertNoInline(context, `/app/reservations?reservee=${booked}`);

    // Booking the same offer again: the offer page says it is already booked, without a form.
    await page.goto(url(offerPath));
    assert((await page.locator('.fr-alert--info').textContent()).includes('Vous avez déjà réservé cette offre'), 'pas de « déjà réservé »');
    assert((await page.getByRole('button', { name: 'Réserver', exact: true }).count()) === 0, 'le bouton « Réserver » est encore proposé');

    const bad = await pageProblems(page, problems);
    assert(bad.length === 0, `erreurs sur la page : ${bad.join(' ; ')}`);
  } finally {
    await context.close();
  }
});

test('bénéficiaire: Inès annule la Carte Musées (recréditée) ; la visite guidée du lendemain n\'est plus annulable', async () => {
  const { context, page } = await freshPage();
  try {
    await login(page, env.ines);
    await page.goto(url('/app/reservations'));
    const before = await creditCents(page);
    const cardBooking = page.locator('article.pp-booking', { hasText: 'Carte Musées de Saint-Aubin' });
    assert((await cardBooking.count()) === 1, 'réservation de la Carte Musées absente');
    const cardId = await cardBooking.getAttribute('id');
    assert((await cardBooking.locator('.fr-badge').textContent()).trim() === 'Réservée', 'la Carte Musées n\'est pas « Réservée »');
    await Promise.all([
      page.waitForNavigation(),
      cardBooking.getByRole('button', { name: 'Annuler la réservation' }).click(),
    ]);
    assert(pathOf(page) === '/app/reservations', `après annulation : ${page.url()}`);
    assert((await page.locator('.fr-alert--success').textContent()).includes('Votre réservation a été annulée'), 'pas de confirmation de l\'annulation');
    const cancelled = page.locator(`#${cardId}`);
    assert((await cancelled.locator('.fr-badge').textContent()).trim() === 'Annulée', `statut après annulation : « ${await cancelled.locator('.fr-badge').textContent()} »`);
    assert(
      (await page.locator('section[aria-labelledby="terminees-titre"]').locator(`#${cardId}`).count()) === 1,
      'la réservation annulée n\'est pas dans « Terminées et annulées »',
    );
    assert((await cancelled.getByRole('button', { name: 'Annuler la réservation' }).count()) === 0, 'toujours un bouton « Annuler »');
    assert((await cancelled.locator('.pp-qr').count()) === 0, 'une réservation annulée montre encore son QR code');
    const after = await creditCents(page);
    assert(after === before + 1500, `crédit après annulation : ${before} → ${after} centimes (attendu +1500)`);

    // The guided tour of tomorrow was booked less than 48 h before it: no button, and a forged
    // post is refused with RULES §3's message next to the booking.
    const tour = page.locator('article.pp-booking', { hasText: 'Visite guidée : les impressionnistes' });
    assert((await tour.count()) === 1, 'réservation de la visite guidée absente');
    assert((await tour.getByRole('button', { name: 'Annuler la réservation' }).count()) === 0, 'la visite guidée est proposée à l\'annulation');
    assert((await tour.textContent()).includes('n\'est plus annulable'), 'la visite guidée ne dit pas qu\'elle n\'est plus annulable');
    const tourId = (await tour.getAttribute('id')).replace('reservation-', '');
    const refused = await page.evaluate(async (id) => {
      const body = new URLSearchParams({ csrf: document.querySelector('input[name=csrf]').value });
      const r = await fetch(`/app/reservations/${id}/annuler`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        redirect: 'manual',
      });
      return { status: r.status, text: await r.text() };
    }, tourId);
    assert(refused.status === 403, `annulation hors délai : statut ${refused.status} au lieu de 403`);
    assert(refused.text.includes('Impossible d&#39;annuler une réservation plus de 48h après') ||
           refused.text.includes('Impossible d\'annuler une réservation plus de 48h après'), 'message de refus absent');
    const bad = await cspViolations(page);
    assert(bad.length === 0, `erreurs sur la page : ${bad.join(' ; ')}`);
  } finally {
    await context.close();
  }
});

test('bénéficiaire: Hugo (17 ans) réserve sans choisir de date : message à côté des dates ; dates suivantes', async () => {
  const { context, page } = await freshPage();
  try {
    await login(page, env.hugo);
    assert(pathOf(page) === '/app', `arrivé sur ${page.url()} au lieu de /app`);
    await page.goto(url('/app?q=impressionnistes'));
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: 'Visite guidée : les impressionnistes' }).click(),
    ]);
    const offerPath = pathOf(page);
    assert((await page.locator('input[name=stockId]:checked').count()) === 0, 'une date est cochée d\'office parmi plusieurs');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Réserver', exact: true }).click()]);
    assert(pathOf(page) === `${offerPath}/reserver`, `après envoi : ${page.url()}`);
    const error = page.locator('#dates .fr-message--error');
    assert((await error.count()) === 1, 'pas de message d\'erreur à côté des dates');
    assert((await error.textContent()).includes('Choisissez une date et un tarif'), `message : « ${await error.textContent()} »`);
    // 14 days of 14 slots and 3 tariffs: the page lists 60 of them, then "Dates suivantes".
    assert((await page.locator('input[name=stockId]').count()) === 60, 'la page ne liste pas 60 dates');
    const firstOfPage1 = await page.locator('input[name=stockId]').first().getAttribute('value');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Dates suivantes' }).click()]);
    assert(new URL(page.url()).searchParams.get('page') === '2', `dates suivantes : ${page.url()}`);
    const firstOfPage2 = await page.locator('input[name=stockId]').first().getAttribute('value');
    assert(firstOfPage2 !== firstOfPage1, 'la page 2 montre les mêmes dates que la page 1');
    assert((await page.getByRole('link', { name: 'Dates précédentes' }).count()) === 1, 'lien « Dates précédentes » absent');
    const bad = await cspViolations(page);
    assert(bad.length === 0, `erreurs sur la page : ${bad.join(' ; ')}`);
  } finally {
    await context.close();
  }
});

test('un compte pro qui ouvre /app reçoit une page 403 en français', async () => {
  const { context, page } = await freshPage();
  try {
    await login(page, env.director);
    assert(pathOf(page) === '/accueil', `connexion : ${page.url()}`);
    const res = await page.goto(url('/app'));
    assert(res.status() === 403, `statut ${res.status()} au lieu de 403`);
    assert((await page.locator('h1').textContent()).includes('Accès refusé'), `titre : « ${await page.locator('h1').textContent()} »`);
    const res2 = await page.goto(url('/app/reservations'));
    assert(res2.status() === 403, `/app/reservations : statut ${res2.status()} au lieu de 403`);
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// The counter (/guichet) and the back office's beneficiaries and audit log

const CARD = 'Carte Musées de Saint-Aubin (1 an)';
const TOUR = 'Visite guidée : les impressionnistes';

// The countermark of Inès's live (CONFIRMED) booking of @offerName, read through the API with her
// session; booked again from /app when there is none (an earlier test cancels her museum card).
async function inesTicket(offerName) {
  const { context, page } = await freshPage();
  try {
    await login(page, env.ines);
    const res = await context.request.get(url('/api/v1/me/bookings'));
    assert(res.status() === 200, `GET /api/v1/me/bookings : statut ${res.status()}`);
    const { bookings } = await res.json();
    const live = bookings.find((b) => b.offerName === offerName && b.status === 'CONFIRMED');
    if (live) return live.token;
    await page.goto(url(`/app?q=${encodeURIComponent(offerName.split(' ')[0])}`));
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: offerName }).click()]);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Réserver', exact: true }).click()]);
    const booked = new URL(page.url()).searchParams.get('reservee');
    assert(/^\d+$/.test(booked || ''), `nouvelle réservation de « ${offerName} » impossible : ${page.url()}`);
    return (await page.locator(`#reservation-${booked} .pp-token`).textContent()).trim();
  } finally {
    await context.close();
  }
}

// The text of the field's message (under "Contremarque"), spaces collapsed.
async function fieldMessage(page) {
  return ((await page.locator('#contremarque-messages').textContent()) || '').replace(/\s+/g, ' ').trim();
}

async function lookUp(page, code) {
  await page.getByLabel('Contremarque').fill(code);
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Rechercher la contremarque' }).click(),
  ]);
}

const DATE_RE = /\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/;

test('guichet: Julien trouve la Carte Musées d\'Inès (saisie en minuscules), la valide, la retrouve validée, l\'invalide', async () => {
  const token = await inesTicket(CARD);
  assert(TOKEN_RE.test(token), `contremarque de la Carte Musées : « ${token} »`);
  const { context, page, problems } = await freshPage();
  try {
    await login(page, env.director);
    const nav = page.locator('nav.fr-nav');
    await Promise.all([page.waitForNavigation(), nav.getByRole('link', { name: 'Guichet' }).click()]);
    assert(pathOf(page) === '/guichet', `menu « Guichet » : ${page.url()}`);
    assert((await page.locator('h1').textContent()).trim() === 'Guichet', 'titre « Guichet » absent');
    const main = page.locator('main');
    assert(
      (await main.textContent()).includes('Saisissez les contremarques présentées par les bénéficiaires afin de les valider ou de les invalider.'),
      'description de la page absente',
    );
    const field = page.getByLabel('Contremarque');
    assert((await field.getAttribute('placeholder')) === 'ex : AZE123', 'placeholder « ex : AZE123 » absent');
    assert((await fieldMessage(page)) === 'Saisissez une contremarque', `message initial : « ${await fieldMessage(page)} »`);
    await assertNoInline(context, '/guichet');

    // Live messages, with JavaScript: characters left, bad characters, upper case.
    await field.pressSequentially('ab');
    assert((await field.inputValue()) === 'AB', `saisie non mise en majuscules : « ${await field.inputValue()} »`);
    assert((await fieldMessage(page)) === 'Caractères restants : 4/6', `message après 2 caractères : « ${await fieldMessage(page)} »`);
    await field.pressSequentially('-');
    assert((await fieldMessage(page)) === 'Caractères valides : de A à Z et de 0 à 9', `message après « - » : « ${await fieldMessage(page)} »`);
    assert((await page.locator('#contremarque-group.fr-input-group--error').count()) === 1, 'le champ n\'est pas en erreur');
    // A malformed code is not even sent.
    await field.fill('ab');
    await page.getByRole('button', { name: 'Rechercher la contremarque' }).click();
    await page.waitForTimeout(300); // a navigation, had the form been sent, would have started
    assert(pathOf(page) === '/guichet' && !page.url().includes('contremarque='), `code trop court envoyé : ${page.url()}`);
    assert((await fieldMessage(page)) === 'La contremarque doit contenir 6 caractères', `message du code trop court : « ${await fieldMessage(page)} »`);
    // Where the browser cannot read QR codes, no scan button.
    const canScan = await page.evaluate(() => 'BarcodeDetector' in window && !!navigator.mediaDevices);
    if (!canScan) assert(!(await page.locator('#scanner').isVisible()), '« Scanner un QR code » proposé sans BarcodeDetector');

    await field.fill(token.toLowerCase());
    assert((await field.inputValue()) === token, `« ${token.toLowerCase()} » n'est pas passé en majuscules`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Rechercher la contremarque' }).click()]);
    assert(new URL(page.url()).searchParams.get('contremarque') === token, `recherche : ${page.url()}`);
    const booking = page.locator('#reservation');
    let text = (await booking.textContent()).replace(/\s+/g, ' ');
    assert(text.includes('Inès Laurent'), `bénéficiaire absent : « ${text} »`);
    assert(text.includes(CARD), `offre absente : « ${text} »`);
    assert(text.includes('15,00 €'), `prix absent : « ${text} »`);
    assert((await booking.locator('.fr-badge').textContent()).trim() === 'Réservée', 'statut pas « Réservée »');
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'guichet-reservation.png');
    await assertNoInline(context, `/guichet?contremarque=${token}`);

    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Valider la contremarque', exact: true }).click()]);
    assert(new URL(page.url()).searchParams.get('valide') === '1', `après validation : ${page.url()}`);
    const success = page.locator('.fr-alert--success');
    assert((await success.textContent()).includes('Contremarque validée !'), `message : « ${await success.textContent()} »`);
    assert((await booking.locator('.fr-badge').textContent()).trim() === 'Validée', 'statut pas « Validée »');
    const history = page.locator('#historique');
    const used = history.locator('tr', { hasText: 'Contremarque validée' });
    assert((await used.count()) === 1, 'validation absente de l\'historique');
    assert((await used.textContent()).includes(env.director.email), `auteur de la validation : « ${await used.textContent()} »`);
    assert((await used.textContent()).includes('Portail'), 'canal de la validation absent');
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'guichet-validee.png');

    // Looked up again: validated on that date, nothing else to do; it can be invalidated.
    await page.goto(url('/guichet'));
    await lookUp(page, token);
    const info = page.locator('#reservation .fr-alert--info');
    text = (await info.textContent()).replace(/\s+/g, ' ').trim();
    assert(
      new RegExp(`^Cette contremarque a déjà été validée le ${DATE_RE.source}\\. Aucune autre action n'est nécessaire\\.$`).test(text),
      `message de la carte déjà validée : « ${text} »`,
    );
    assert((await page.getByRole('button', { name: 'Valider la contremarque', exact: true }).count()) === 0, 'encore un bouton « Valider »');
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'guichet-deja-validee.png');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Invalider la contremarque' }).click()]);
    assert(new URL(page.url()).searchParams.get('invalide') === '1', `après invalidation : ${page.url()}`);
    assert((await page.locator('.fr-alert--success').textContent()).includes('Contremarque invalidée'), 'pas de confirmation de l\'invalidation');
    assert((await booking.locator('.fr-badge').textContent()).trim() === 'Réservée', 'statut après invalidation pas « Réservée »');
    assert((await page.getByRole('button', { name: 'Valider la contremarque', exact: true }).count()) === 1, 'le bouton « Valider » n\'est pas revenu');
    assert((await history.locator('tr', { hasText: 'Contremarque invalidée' }).count()) === 1, 'invalidation absente de l\'historique');
    const bad = await pageProblems(page, problems);
    assert(bad.length === 0, `erreurs sur la page : ${bad.join(' ; ')}`);

    // An unknown countermark.
    await lookUp(page, 'zzzzzz');
    const notFound = page.locator('#contremarque-group.fr-input-group--error .fr-message--error');
    assert((await notFound.textContent()).trim() === 'Cette contremarque n\'a pas été trouvée.', `code inconnu : « ${await notFound.textContent()} »`);
    assert((await page.locator('#reservation').count()) === 0, 'une réservation est affichée pour un code inconnu');
    await screenshot(page, 'guichet-introuvable.png');
    const csp = await cspViolations(page);
    assert(csp.length === 0, `erreurs sur la page : ${csp.join(' ; ')}`);
  } finally {
    await context.close();
  }
});

test('guichet sans JavaScript: formats refusés à côté du champ, QR code scanné de la visite guidée d\'Inès validé', async () => {
  const token = await inesTicket(TOUR);
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  try {
    const page = await context.newPage();
    await login(page, env.director);
    await page.goto(url('/guichet'));
    assert(!(await page.locator('#scanner').isVisible()), '« Scanner un QR code » visible sans JavaScript');
    const fieldError = page.locator('#contremarque-group.fr-input-group--error .fr-message--error');
    await lookUp(page, 'ab');
    assert((await fieldError.textContent()).trim() === 'La contremarque doit contenir 6 caractères', `code trop court : « ${await fieldError.textContent()} »`);
    await lookUp(page, 'ab-12!');
    assert((await fieldError.textContent()).trim() === 'Caractères valides : de A à Z et de 0 à 9', `caractères interdits : « ${await fieldError.textContent()} »`);
    assert((await page.getByLabel('Contremarque').inputValue()) === 'ab-12!', 'la saisie refusée n\'est pas conservée');

    // What a QR code reader types: the payload of the ticket.
    await lookUp(page, `PASSCULTURE:v3;TOKEN:${token.toLowerCase()}`);
    assert((await page.getByLabel('Contremarque').inputValue()) === token, `champ après le QR code : « ${await page.getByLabel('Contremarque').inputValue()} »`);
    const booking = page.locator('#reservation');
    const text = (await booking.textContent()).replace(/\s+/g, ' ');
    assert(text.includes('Inès Laurent') && text.includes(TOUR), `réservation affichée : « ${text} »`);
    assert(new RegExp(`Date ?${DATE_RE.source}`).test(text), `date de la visite absente : « ${text} »`);
    assert(/Tarif ?(Plus de 18 ans|Moins de 18 ans|Personne en situation de handicap)/.test(text), `tarif absent : « ${text} »`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Valider la contremarque', exact: true }).click()]);
    assert((await page.locator('.fr-alert--success').textContent()).includes('Contremarque validée !'), 'pas de « Contremarque validée ! » sans JavaScript');
    assert((await booking.locator('.fr-badge').textContent()).trim() === 'Validée', 'statut pas « Validée »');
    await screenshot(page, 'guichet-sans-js.png');

    // Looked up again: already validated (an event: no "nothing else to do").
    await lookUp(page, token);
    const warning = (await page.locator('#reservation .fr-alert--warning').textContent()).trim();
    assert(new RegExp(`^Cette contremarque a déjà été validée le ${DATE_RE.source}\\.$`).test(warning), `visite déjà validée : « ${warning} »`);
  } finally {
    await context.close();
  }
});

test('guichet: une contremarque d\'une autre structure est introuvable ; un bénéficiaire n\'a pas accès au guichet', async () => {
  const token = await inesTicket(CARD);
  const other = { email: 'lea.roux@cinema-palace.test', password: env.director.password };
  const { context, page } = await freshPage();
  try {
    await login(page, other);
    const res = await page.goto(url(`/guichet?contremarque=${token}`));
    assert(res.status() === 404, `statut ${res.status()} au lieu de 404`);
    assert((await page.locator('.fr-message--error').textContent()).includes('Cette contremarque n\'a pas été trouvée.'), 'pas « introuvable » pour une autre structure');
    assert(!(await page.content()).includes('Inès'), 'la réservation d\'une autre structure est visible');
    // A forged validation is refused the same way.
    const status = await page.evaluate(async (code) => {
      const body = new URLSearchParams({ csrf: document.querySelector('input[name=csrf]').value, contremarque: code });
      const r = await fetch('/guichet/valider', { method: 'POST', body, redirect: 'manual' });
      return r.status;
    }, token);
    assert(status === 404, `validation par une autre structure : statut ${status}`);
  } finally {
    await context.close();
  }
  const ines = await freshPage();
  try {
    await login(ines.page, env.ines);
    const res = await ines.page.goto(url('/guichet'));
    assert(res.status() === 403, `bénéficiaire sur /guichet : statut ${res.status()} au lieu de 403`);
  } finally {
    await ines.context.close();
  }
});

test('back office: création d\'un compte bénéficiaire (erreur à côté du champ, puis crédit attribué) et journal d\'audit', async () => {
  const { context, page } = await freshPage();
  try {
    await login(page, env.admin);
    await page.goto(url('/backoffice'));
    const form = page.locator('section[aria-labelledby="beneficiaire-titre"]');
    assert((await form.locator('h2').textContent()).includes('Créer un compte bénéficiaire'), 'section « Créer un compte bénéficiaire » absente');
    const born = new Date(Date.now() - (18 * 365.25 + 100) * 86400e3).toISOString().slice(0, 10);
    const password = 'Saint-Aubin-Jeune-2026';
    await form.getByLabel('Nom', { exact: true }).fill('Petit');
    await form.getByLabel('Prénom').fill('Léa');
    await form.getByLabel('Adresse email').fill('lea.petit@example.test');
    await form.getByLabel('Mot de passe').fill(password);
    await form.getByLabel('Date de naissance').fill(born);
    await form.getByLabel('Code postal').fill('330');
    await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Créer le compte' }).click()]);
    const postalError = page.locator('section[aria-labelledby="beneficiaire-titre"] .fr-input-group--error .fr-error-text');
    assert((await postalError.count()) === 1, `erreurs affichées : ${await postalError.count()}`);
    assert((await postalError.textContent()).includes('5 chiffres'), `erreur du code postal : « ${await postalError.textContent()} »`);
    assert((await form.getByLabel('Prénom').inputValue()) === 'Léa', 'le prénom saisi a été perdu');
    assert((await form.getByLabel('Date de naissance').inputValue()) === born, 'la date de naissance saisie a été perdue');
    assert((await form.getByLabel('Mot de passe').inputValue()) === '', 'le mot de passe est renvoyé dans la page');
    await form.getByLabel('Code postal').fill('33000');
    await form.getByLabel('Mot de passe').fill(password);
    await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Créer le compte' }).click()]);
    assert(pathOf(page) === '/backoffice' && /^\d+$/.test(new URL(page.url()).searchParams.get('beneficiaire') || ''), `après création : ${page.url()}`);
    const created = (await form.locator('.fr-alert--success').textContent()).replace(/\s+/g, ' ');
    assert(created.includes('Léa Petit') && created.includes('lea.petit@example.test'), `confirmation : « ${created} »`);
    assert(/Crédit attribué : 150,00 €, valable jusqu'au \d{2}\/\d{2}\/\d{4}/.test(created), `crédit annoncé : « ${created} »`);

    // The audit log: the counter's validations and invalidation, by whom and from where.
    const audit = page.locator('section[aria-labelledby="audit-titre"]');
    const rows = audit.locator('tbody tr');
    const count = await rows.count();
    assert(count > 0 && count <= 50, `${count} lignes dans le journal`);
    const first = (await rows.first().textContent()).replace(/\s+/g, ' ');
    assert(first.includes('Compte bénéficiaire créé'), `dernière entrée du journal : « ${first} »`);
    for (const action of ['Contremarque validée', 'Contremarque invalidée']) {
      const row = audit.locator('tr', { hasText: action }).filter({ hasText: env.director.email });
      assert((await row.count()) >= 1, `« ${action} » par ${env.director.email} absent du journal`);
      assert((await row.first().textContent()).includes('Portail'), `canal de « ${action} » absent`);
      assert(DATE_RE.test(await row.first().textContent()), `date de « ${action} » absente`);
    }
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'backoffice.png');
    await assertNoInline(context, '/backoffice');
    const csp = await cspViolations(page);
    assert(csp.length === 0, `erreurs sur la page : ${csp.join(' ; ')}`);
  } finally {
    await context.close();
  }
  // The new account logs in and has its credit.
  const lea = await freshPage();
  try {
    await login(lea.page, { email: 'lea.petit@example.test', password: 'Saint-Aubin-Jeune-2026' });
    assert(pathOf(lea.page) === '/app', `Léa arrive sur ${lea.page.url()}`);
    assert((await creditCents(lea.page)) === 15000, 'Léa n\'a pas 150,00 € de crédit');
  } finally {
    await lea.context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// The runner

test('assistant de création : une exposition en entrées libres et une visite guidée en créneaux à trois tarifs, publiées', async () => {
  const { context, page } = await freshPage();
  const day = (k) => new Date(Date.now() + k * 86400000).toISOString().slice(0, 10);
  const submit = (name) =>
    Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
  const create = async (subcategory, title, tariffs) => {
    await page.goto(url('/offres/creation'));
    await page.selectOption('#venueId', { label: 'Musée des Beaux-Arts' });
    await page.selectOption('#subcategoryId', subcategory);
    await page.getByLabel("Titre de l'offre").fill(title);
    await page.locator('label[for=accessMotor]').click();
    await submit('Enregistrer et continuer');
    const id = page.url().match(/offres\/(\d+)\/tarifs/);
    assert(id, `après les informations : ${page.url()}`);
    for (const [label, price] of tariffs) {
      await page.getByLabel('Intitulé du tarif').fill(label);
      await page.getByLabel('Prix en euros').fill(price);
      await submit('Ajouter le tarif');
    }
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Continuer' }).click()]);
    return id[1];
  };
  const publish = async () => {
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Continuer' }).click()]);
    await submit("Publier l'offre");
    const alert = await page.locator('.fr-alert').first().textContent();
    assert(alert.includes('Votre offre a été publiée'), `publication : « ${alert} »`);
  };
  try {
    await login(page, env.director);
    // Free entries, Tuesday to Sunday for a month, one opening time, 150 visitors a day.
    await create('VISITE', 'Exposition « Couleurs de Gironde »', [['Plus de 18 ans', '8'], ['Moins de 18 ans', '0']]);
    await page.fill('#startDate', day(1));
    await page.fill('#endDate', day(30));
    await page.fill('#time', '10:00');
    await page.fill('#quantity', '150');
    await submit('Créer les dates');
    const made = await page.locator('.fr-alert').first().textContent();
    const count = Number((made.match(/(\d+) dates? ont été créées/) || [])[1]);
    // Tuesday-Sunday over 30 days: 25 or 26 days, two tariffs each.
    assert(count >= 50 && count <= 52, `entrées libres : « ${made} »`);
    await publish();

    // Timed slots every 30 minutes from 10:00 to 17:00 (15 slots), three tariffs, a week.
    await create('VISITE_GUIDEE', 'Visite guidée « Les maîtres bordelais »', [
      ['Plus de 18 ans', '12'], ['Moins de 18 ans', '5'], ['Personne en situation de handicap', '0']]);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Créneaux horodatés' }).click()]);
    await page.fill('#startDate', day(1));
    await page.fill('#endDate', day(7));
    await page.fill('#firstTime', '10:00');
    await page.fill('#lastTime', '17:00');
    await page.selectOption('#interval', '30');
    await page.fill('#quantity', '20');
    await submit('Créer les dates');
    const slots = await page.locator('.fr-alert').first().textContent();
    const created = Number((slots.match(/(\d+) dates? ont été créées/) || [])[1]);
    // Tuesday-Sunday within 7 days: 6 days x 15 slots x 3 tariffs.
    assert(created === 270, `créneaux : « ${slots} »`);
    await publish();

    await page.goto(url('/offres'));
    const list = await page.locator('main').textContent();
    for (const title of ['Exposition « Couleurs de Gironde »', 'Visite guidée « Les maîtres bordelais »'])
      assert(list.includes(title), `« ${title} » absente de /offres`);
    await screenshot(page, 'offres.png');
  } finally {
    await context.close();
  }
});

test('réservations: le directeur filtre /reservations (Validée), télécharge le CSV et l\'Excel ; /accueil montre les dernières réservations et le graphique', async () => {
  const { readFileSync } = await import('node:fs');
  const { context, page } = await freshPage();
  try {
    await login(page, env.director);
    await page.goto(url('/reservations'));
    assert((await page.locator('h1').textContent()).trim() === 'Réservations', 'titre de /reservations');
    const nav = page.locator('.fr-nav__link[aria-current="page"]');
    assert((await nav.textContent()).trim() === 'Réservations', 'lien « Réservations » du menu non marqué');
    // The default period: the last 30 days, shown in the fields.
    const begin = await page.getByLabel('Du').inputValue();
    const end = await page.getByLabel('Au').inputValue();
    assert(/^\d{4}-\d{2}-\d{2}$/.test(begin) && /^\d{4}-\d{2}-\d{2}$/.test(end), `période par défaut : ${begin} → ${end}`);
    assert(Math.round((Date.parse(end) - Date.parse(begin)) / 86400e3) === 29, `période par défaut de ${begin} à ${end}`);
    const rows = page.locator('.pp-bookings-table tbody tr');
    assert((await rows.count()) >= 5, `${await rows.count()} réservations listées`);
    const labels = await page.locator('.pp-bookings-table tbody .fr-badge:not(.fr-badge--blue-ecume)').allTextContents();
    for (const l of labels)
      assert(['Réservée', 'Confirmée', 'Validée', 'Annulée', 'Remboursée'].includes(l.trim()), `statut « ${l} »`);
    // A thing not yet used: its countermark is hidden.
    const card = rows.filter({ hasText: 'Carte Musées' }).filter({ hasText: 'Réservée' });
    if ((await card.count()) > 0)
      assert((await card.first().locator('td').nth(3).textContent()).includes('Masquée'), 'contremarque d\'un bien non retiré affichée');
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'reservations.png');

    // Filter: the validated bookings.
    await page.getByLabel('Statut').selectOption({ label: 'Validée' });
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Filtrer' }).click()]);
    assert(pathOf(page) === '/reservations' && new URL(page.url()).searchParams.get('status') === 'validated', `après filtre : ${page.url()}`);
    assert((await page.getByLabel('Statut').inputValue()) === 'validated', 'le statut choisi n\'est pas resté sélectionné');
    const shown = await page.locator('.pp-bookings-table tbody tr').count();
    assert(shown >= 1, 'aucune réservation validée (la Carte Musées de Hugo l\'est dans la démo)');
    const statuses = await page.locator('.pp-bookings-table tbody .fr-badge:not(.fr-badge--blue-ecume)').allTextContents();
    assert(statuses.every((s) => s.trim() === 'Validée'), `statuts après filtre : ${statuses.join(', ')}`);
    const summary = await page.locator('#resultats').textContent();
    assert(summary.includes(shown === 1 ? '1 réservation' : `${shown} réservations`), `résumé : « ${summary} »`);
    await screenshot(page, 'reservations-validees.png');

    // "Télécharger" CSV: the same filters, UTF-8 with BOM, the 19 columns, one row per place.
    const [csvDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger (CSV)' }).click(),
    ]);
    assert(csvDl.suggestedFilename() === 'reservations_pass_culture.csv', `fichier CSV : ${csvDl.suggestedFilename()}`);
    const csv = readFileSync(await csvDl.path());
    assert(csv[0] === 0xef && csv[1] === 0xbb && csv[2] === 0xbf, 'le CSV ne commence pas par le BOM UTF-8');
    const lines = csv.subarray(3).toString('utf8').split('\r\n').filter((l) => l !== '');
    assert(lines[0].startsWith('"Structure";"Nom de l’offre";"Localisation";"Date de l\'évènement";"EAN";"Prénom du bénéficiaire"'), `en-tête CSV : ${lines[0]}`);
    assert(lines[0].split(';').length === 19, `${lines[0].split(';').length} colonnes`);
    assert(lines.length - 1 >= shown, `${lines.length - 1} lignes pour ${shown} réservations`);
    assert(lines.slice(1).every((l) => l.includes(';"validé";')), 'des lignes du CSV ne sont pas « validé »');
    assert(lines.slice(1).some((l) => l.includes('"Musée des Beaux-Arts - 12 rue des Arts 33000 Saint-Aubin"')), 'localisation absente du CSV');

    // "Télécharger" Excel.
    const [xlsxDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger (Excel)' }).click(),
    ]);
    assert(xlsxDl.suggestedFilename() === 'reservations_pass_culture.xlsx', `fichier Excel : ${xlsxDl.suggestedFilename()}`);
    const xlsx = readFileSync(await xlsxDl.path());
    assert(xlsx.length > 1000 && xlsx.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004', 'le fichier Excel n\'est pas un zip');
    await assertNoInline(context, '/reservations?status=validated');
    const csp = await cspViolations(page);
    assert(csp.length === 0, `erreurs sur la page : ${csp.join(' ; ')}`);

    // A bad period: the message next to the field, no table.
    await page.goto(url('/reservations?bookingPeriodBeginningDate=2026-02-30&bookingPeriodEndingDate=2026-03-01'));
    const err = page.locator('.fr-input-group--error .fr-error-text');
    assert((await err.count()) === 1 && (await err.textContent()).includes('Date invalide'), 'erreur de date absente');
    assert((await page.locator('.pp-bookings-table').count()) === 0, 'tableau affiché malgré l\'erreur');

    // /accueil: the last bookings and the chart of bookings per day, with its text alternative.
    await page.goto(url('/accueil'));
    const last = page.locator('section[aria-labelledby="reservations-titre"] tbody tr');
    assert((await last.count()) >= 1 && (await last.count()) <= 5, `${await last.count()} dernières réservations`);
    const svg = page.locator('section[aria-labelledby="graphique-titre"] svg[role="img"]');
    assert((await svg.count()) === 1, 'graphique SVG absent');
    assert((await svg.locator('title').first().textContent()).includes('Réservations par jour'), 'titre du graphique');
    assert((await svg.locator('rect.pp-chart__bar').count()) === 30, 'le graphique n\'a pas 30 barres');
    const resume = await page.locator('#graphique-resume').textContent();
    assert(/\d+ réservations? sur les 30 derniers jours|Aucune réservation sur les 30 derniers jours/.test(resume), `résumé : « ${resume} »`);
    assert((await page.locator('details.pp-chart-data tbody tr').count()) === 30, 'tableau des données du graphique');
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'accueil-reservations.png');
    await assertNoInline(context, '/accueil');
    const csp2 = await cspViolations(page);
    assert(csp2.length === 0, `erreurs sur /accueil : ${csp2.join(' ; ')}`);
  } finally {
    await context.close();
  }
});

test('offres collectives: le musée lit ce qui est éligible et le formulaire de référencement ; le cinéma voit ses offres, ses réservations et crée une offre vitrine', async () => {
  const { context, page } = await freshPage();
  try {
    await login(page, env.director);
    let res = await page.goto(url('/collectif'));
    assert(res.status() === 200, `musée : statut ${res.status()}`);
    const explanation = await page.locator('#eligibilite').textContent();
    assert(explanation.includes('séance de cinéma') && explanation.includes('Projection audiovisuelle'), `explication : « ${explanation.trim()} »`);
    assert((await page.getByRole('heading', { name: 'Demande de référencement' }).count()) === 1, 'pas de titre « Demande de référencement »');
    assert((await page.locator('input[type=checkbox][name=formats]').count()) === 8, 'les 8 formats EAC ne sont pas proposés');
    assert((await page.getByRole('button', { name: 'Envoyer la demande' }).count()) === 1, 'pas de bouton « Envoyer la demande »');
    assert((await page.locator('#offres-collectives').count()) === 0, 'le musée non référencé voit une liste d\'offres');
    await screenshot(page, 'collectif-musee.png');
  } finally {
    await context.close();
  }
  const lea = await freshPage();
  try {
    await login(lea.page, { email: 'lea.roux@cinema-palace.test', password: env.director.password });
    const page2 = lea.page;
    const res = await page2.goto(url('/collectif'));
    assert(res.status() === 200, `cinéma : statut ${res.status()}`);
    const offers = await page2.locator('#offres-collectives').textContent();
    for (const name of ['Éducation à l\'image', 'Les Quatre Cents Coups', 'Le Voyage de Chihiro'])
      assert(offers.includes(name), `offre « ${name} » absente`);
    const rows = page2.locator('#reservations-collectives tbody tr');
    assert((await rows.count()) === 2, `${await rows.count()} réservations au lieu de 2`);
    const bookings = await page2.locator('#reservations-collectives').textContent();
    assert(bookings.includes('Préréservée') && bookings.includes('Réservée'), 'libellés « Préréservée » / « Réservée » absents');
    assert(bookings.includes('Collège Jean Moulin') && bookings.includes('anne.leroy@ac-bordeaux.test'), 'établissement ou enseignant absent');
    assert((await page2.locator('#reservations-collectives').getByRole('button', { name: 'Annuler' }).count()) === 2, 'boutons « Annuler » absents');
    await screenshot(page2, 'collectif-cinema.png');

    // A guided tour is not eligible: the explanation on the page (403), not an error page.
    const fill = async (subcategory, name) => {
      await page2.locator('#kind-vitrine').check();
      await page2.locator('#venueId').selectOption({ index: 0 });
      await page2.locator('#name').fill(name);
      await page2.locator('#subcategoryId').selectOption(subcategory);
      await page2.locator('#format').selectOption('Projection audiovisuelle');
      await page2.locator('#contactEmail').fill('lea.roux@cinema-palace.test');
      await page2.locator('#interventionArea').fill('33, 40');
      await page2.locator('#description').fill('Un intervenant vient dans la classe.');
      if (!(await page2.locator('#students-0').isChecked())) await page2.locator('label[for=students-0]').click();
      return Promise.all([page2.waitForNavigation(), page2.getByRole('button', { name: 'Publier l\'offre' }).click()]);
    };
    const [refused] = await fill('VISITE_GUIDEE', 'Visite des coulisses');
    assert(refused.status() === 403, `offre non éligible : statut ${refused.status()}`);
    const why = await page2.locator('#refus').textContent();
    assert(why.includes('ne peut pas encore') && why.includes('séance de cinéma'), `refus : « ${why.trim()} »`);
    assert((await page2.locator('#name').inputValue()) === 'Visite des coulisses', 'le titre saisi est perdu');
    await screenshot(page2, 'collectif-refus.png');
    await fill('SEANCE_CINE', 'Atelier critique de cinéma');
    assert((await page2.locator('.fr-alert--success').textContent()).includes('publiée'), 'pas de confirmation');
    assert((await page2.locator('#offres-collectives').textContent()).includes('Atelier critique de cinéma'), 'offre créée absente');
  } finally {
    await lea.context.close();
  }
});

async function main() {
  let passed = 0;
  let failed = 0;
  const started = Date.now();
  try {
    env = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: STEP_TIMEOUT_MS,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    for (const t of tests) {
      try {
        await withTimeout(t.fn(), TEST_TIMEOUT_MS, 'test');
        passed++;
        console.log(`ok - ${t.name}`);
      } catch (e) {
        failed++;
        console.log(`not ok - ${t.name}: ${oneLine(e)}`);
      }
    }
  } catch (e) {
    // The run could not start: every test that did not run counts as failed.
    console.log(`not ok - démarrage: ${oneLine(e)}`);
    if (serverOutput) console.log(serverOutput.replace(/^/gm, '# '));
    failed = Math.max(1, tests.length - passed);
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopServer().catch(() => {});
  }
  if (process.env.VERBOSE) console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

// Whatever happens (Ctrl-C, uncaught error), the server is stopped and the temp dir removed.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (server) server.kill('SIGTERM');
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    process.exit(1);
  });
}
process.on('exit', () => {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

await main();
