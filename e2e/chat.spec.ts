import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, FrameLocator, Page } from 'playwright-core';
import WebSocket from 'ws';
import { createAccessPoint } from '../src/server/channels/access-points.js';
import { localTime } from '../src/server/channels/hours.js';
import { ApiClient } from '../test/helpers/client.js';
import { startTestServer, type TestServer } from '../test/helpers/server.js';
import { findContrastFailures } from './contrast.js';
import { ARTIFACTS, launchBrowser } from './helpers.js';

// Web chat in a real browser: a partner's page on another origin embeds the widget with one script tag; a visitor
// answers the pre-chat questions in Spanish and writes; an advocate (a WebSocket client, on a second server) answers.

const EXIT_URL = 'https://neutral.example/weather';

async function shot(page: Page, name: string, frame?: Frame) {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const failures = await findContrastFailures(page);
  expect(failures, `text contrast on ${name} (host page)`).toEqual([]);
  if (frame) expect(await findContrastFailures(frame as unknown as Page), `text contrast on ${name} (chat frame)`).toEqual([]);
}

/** The advocate's side: the chat WebSocket protocol, as the SPA will use it. */
class AgentSocket {
  frames: Record<string, any>[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.frames.push(JSON.parse(String(data))));
  }
  static async open(url: string, cookie: string) {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/api/chat/agent', { headers: { cookie } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new AgentSocket(ws);
  }
  send(frame: unknown) {
    this.ws.send(JSON.stringify(frame));
  }
  async next(type: string, match: (f: Record<string, any>) => boolean = () => true, timeout = 10_000) {
    const until = Date.now() + timeout;
    for (;;) {
      const hit = this.frames.find((f) => f.type === type && match(f));
      if (hit) {
        this.frames.splice(this.frames.indexOf(hit), 1);
        return hit;
      }
      if (Date.now() > until) throw new Error(`no ${type} frame; got ${JSON.stringify(this.frames).slice(0, 400)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('web chat: widget on a partner site, visitor and advocate', () => {
  let server: TestServer;
  let sibling: { url: string };
  let host: http.Server;
  let hostUrl = '';
  let browser: Browser;
  let page: Page;
  let chat: FrameLocator;
  let advocateClient: ApiClient;
  let agentSocket: AgentSocket;
  let contactId = '';

  beforeAll(async () => {
    server = await startTestServer();
    sibling = await server.startSibling();
    // The partner's site: another origin (another port), with nothing but its own content and one script tag.
    host = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Refugio Esperanza</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:40px;color:#1a1a1a;background:#fff}</style></head>
<body><h1>Refugio Esperanza</h1><p>Apoyo confidencial para personas en situación de explotación.</p>
<script src="${server.url}/chat/widget.js" data-hotline="${server.hotline.slug}" data-lang="es" data-exit-url="${EXIT_URL}" async></script>
</body></html>`);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    await createAccessPoint(server.db, server.ctx, server.hotline.id, {
      channel: 'chat', name: 'Web chat', address: server.hotline.slug,
      settings: { allowedOrigins: [hostUrl], greetings: { es: 'Bienvenida. Este chat es confidencial.', en: 'Welcome. This chat is confidential.', fr: 'Bienvenue. Cette discussion est confidentielle.' } },
    });
    advocateClient = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'], displayName: 'Ana Advocate' }));
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'es-MX', viewport: { width: 1100, height: 820 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    chat = page.frameLocator('iframe[title="Chat confidencial"]');
  });

  afterAll(async () => {
    agentSocket?.ws.close();
    await browser?.close();
    await new Promise((resolve) => host?.close(resolve));
    await server?.close();
  });

  const chatFrame = () => page.frames().find((f) => f.url().includes('/embed'))!;

  it('adds a launcher with one script tag; the keyboard opens the chat in an iframe from Catalyst', async () => {
    await page.goto(hostUrl);
    const launcher = page.locator('[data-catalyst-chat] button.launcher');
    await page.getByRole('button', { name: 'Chatee con nosotros' }).waitFor();
    await shot(page, 'chat-01-partner-page-launcher');
    await page.keyboard.press('Tab');
    expect(await launcher.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await launcher.textContent()).toBe('Cerrar el chat');
    await chat.getByRole('heading', { name: 'Chat confidencial' }).waitFor();
    expect(chatFrame().url()).toBe(`${server.url}/chat/${server.hotline.slug}/embed?lang=es`);
    await chat.getByRole('radio', { name: 'Español' }).isChecked();
    await shot(page, 'chat-02-prechat-es', chatFrame());
  });

  it('offers the pre-chat questions in French and English too', async () => {
    await chat.getByRole('radio', { name: 'Français' }).check();
    // Nothing answered yet: the one required question says so, in the chosen language.
    await chat.getByRole('button', { name: 'Commencer la discussion' }).click();
    await chat.getByText('Dites-nous si vous pouvez parler en sécurité.').waitFor();
    await chat.getByRole('radio', { name: 'Non' }).check();
    await chat.getByText('Si quelqu’un arrive, appuyez sur Sortie rapide.', { exact: false }).waitFor();
    await shot(page, 'chat-03-prechat-fr-not-safe', chatFrame());
    await chat.getByRole('radio', { name: 'English' }).check();
    await chat.getByRole('button', { name: 'Start chat' }).waitFor();
    await chat.getByText('If someone comes, press Quick exit.', { exact: false }).waitFor();
    await shot(page, 'chat-03b-prechat-en', chatFrame());
    await chat.getByRole('radio', { name: 'Español' }).check();
  }, 20_000);

  it('asks the questions in Spanish and sends the visitor’s first message, shown as delivered after commit', async () => {
    const safe = chat.getByRole('group', { name: '¿Puede hablar con seguridad ahora?' });
    await safe.getByRole('radio', { name: 'Sí' }).check();
    await chat.getByLabel('Nombre o apodo (opcional)').fill('Lupe');
    await chat.getByLabel('Rango de edad (opcional)').selectOption({ label: 'De 18 a 24' });
    await shot(page, 'chat-04-prechat-es-filled', chatFrame());
    await chat.getByRole('button', { name: 'Iniciar chat' }).click();
    await chat.getByText('Bienvenida. Este chat es confidencial.').waitFor();
    await chat.getByText('Gracias. Una persona de apoyo le responderá pronto.').waitFor();
    const box = chat.getByLabel('Su mensaje');
    await box.fill('Hola, necesito ayuda. Me quitaron el pasaporte.');
    await box.press('Enter');
    await chat.locator('li.msg.visitor .state', { hasText: 'Entregado' }).waitFor();
    await shot(page, 'chat-05-visitor-message-delivered', chatFrame());

    const stored = await server.db.selectFrom('contact_message as m').innerJoin('contact as c', 'c.id', 'm.contact_id').select(['m.body', 'c.id', 'c.language', 'c.channel']).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ language: 'es', channel: 'chat' });
    expect(stored.body!.toString('latin1')).not.toContain('pasaporte');
    contactId = stored.id;
  });

  it('lets an advocate on another server claim, join and reply; the visitor sees typing, the reply, and "read"', async () => {
    expect((await advocateClient.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
    agentSocket = await AgentSocket.open(sibling.url, advocateClient.cookie);
    agentSocket.send({ type: 'join', contactId });
    const joined = await agentSocket.next('joined');
    expect(joined.visitor).toMatchObject({ language: 'es', nickname: 'Lupe', safeToTalk: 'yes', ageRange: '18_24', online: true });
    await chat.getByText('Una persona de apoyo se unió al chat.').waitFor();

    agentSocket.send({ type: 'typing', contactId, on: true });
    await chat.getByText('La persona de apoyo está escribiendo…').waitFor();
    await shot(page, 'chat-06-advocate-typing', chatFrame());

    agentSocket.send({ type: 'send', contactId, clientId: 'reply-000001', body: 'Hola Lupe, estoy aquí para ayudarle. ¿Dónde se encuentra ahora?' });
    await chat.getByText('Hola Lupe, estoy aquí para ayudarle.', { exact: false }).waitFor();
    // The page is visible, so the visitor's client reports it read; the advocate sees it.
    await agentSocket.next('status', (f) => f.direction === 'outbound' && f.status === 'read');
    agentSocket.send({ type: 'read', contactId, upto: joined.messages[0].id });
    await chat.locator('li.msg.visitor .state', { hasText: 'Leído' }).waitFor();

    // The visitor types: the advocate sees it, then gets the message.
    const box = chat.getByLabel('Su mensaje');
    await box.pressSequentially('Estoy en un hotel', { delay: 10 });
    expect((await agentSocket.next('typing')).on).toBe(true);
    await box.press('Enter');
    expect((await agentSocket.next('message', (f) => f.message.from === 'visitor')).message.body).toBe('Estoy en un hotel');
    await shot(page, 'chat-07-conversation', chatFrame());
  });

  it('keeps the conversation across a reload of the partner page (token in this tab’s sessionStorage)', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'Chatee con nosotros' }).click();
    await chat.getByText('Estoy en un hotel').waitFor();
    await chat.getByText('Hola Lupe, estoy aquí para ayudarle.', { exact: false }).waitFor();
    expect(await chat.locator('li.msg').count()).toBe(3);
    await shot(page, 'chat-08-after-reload', chatFrame());
  });

  it('sends a photo from the visitor, shown as delivered, stored encrypted and listed for staff', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await chat.getByRole('button', { name: 'Adjuntar un archivo' }).waitFor();
    await chat.locator('#file').setInputFiles({ name: 'anuncio.png', mimeType: 'image/png', buffer: png });
    const sent = chat.locator('li.msg.visitor').filter({ hasText: '📎 anuncio.png' });
    await sent.locator('.state', { hasText: 'Entregado' }).waitFor();
    await shot(page, 'chat-08b-file-sent', chatFrame());
    const read = await advocateClient.get(`/api/contacts/${contactId}`);
    const withFile = read.body.contact.messages.find((m: { body: string }) => m.body === '📎 anuncio.png');
    expect(withFile.attachments).toEqual([expect.objectContaining({ filename: 'anuncio.png', contentType: 'image/png', size: png.length })]);
    // A file the hotline does not take: said in the visitor's language, nothing stored.
    await chat.locator('#file').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]) });
    await chat.getByText('Solo se pueden enviar fotos, documentos PDF y archivos de texto.').waitFor();
    expect(await chat.locator('li.msg.visitor').filter({ hasText: 'setup.exe' }).count()).toBe(0);
  });

  it('leaves at once with Quick exit: the partner page is replaced by a neutral site and the chat is ended', async () => {
    const navigations: string[] = [];
    await page.route('https://neutral.example/**', (route) => {
      navigations.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Weather</title><h1>Weather</h1>' });
    });
    await chat.getByRole('button', { name: 'Salida rápida' }).click();
    await page.waitForURL(EXIT_URL);
    expect(navigations).toEqual([EXIT_URL]);
    expect(await page.getByRole('heading', { name: 'Weather' }).isVisible()).toBe(true);
    expect(page.frames()).toHaveLength(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-09-after-quick-exit.png') });
    expect((await agentSocket.next('ended')).by).toBe('visitor');
    const session = await server.db.selectFrom('chat_session').select(['ended_by']).executeTakeFirstOrThrow();
    expect(session.ended_by).toBe('visitor');
    // Back does not return to the partner page with the chat: the history entry was replaced.
    await page.goBack().catch(() => null);
    expect(page.url()).not.toBe(hostUrl + '/');
  });

  it('outside the opening hours shows the hotline’s after-hours message and its web tip form instead of the questions', async () => {
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
    const { timezone } = await server.db.selectFrom('hotline').select('timezone').where('id', '=', server.hotline.id).executeTakeFirstOrThrow();
    const later = days[(days.indexOf(localTime(new Date(), timezone).day) + 3) % 7];
    await createAccessPoint(server.db, server.ctx, server.hotline.id, {
      channel: 'chat', name: 'Evening chat', address: 'evening-chat',
      settings: { hours: [{ day: later, open: '18:00', close: '23:00' }], afterHoursMessage: { es: 'El chat abre de 18:00 a 23:00.' } },
    });
    await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'webform', name: 'Web tips', address: 'tips-e2e', settings: {} });
    const closedPage = await page.context().newPage();
    await closedPage.goto(`${server.url}/chat/evening-chat/embed?lang=es`);
    await closedPage.getByRole('heading', { name: 'El chat está cerrado en este momento' }).waitFor();
    await closedPage.getByText('El chat abre de 18:00 a 23:00.').waitFor();
    // When to come back: the hours, with the weekday in the visitor's language, in the hotline's time.
    const weekday = new Intl.DateTimeFormat('es', { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(later), 12)));
    expect(await closedPage.getByRole('list').filter({ hasText: '18:00' }).textContent()).toBe(`${weekday} 18:00–23:00`);
    await closedPage.getByRole('heading', { name: `Horario de atención (hora de ${timezone.split('/').pop()!.replace(/_/g, ' ')})` }).waitFor();
    expect(await closedPage.getByRole('button', { name: 'Iniciar chat' }).count()).toBe(0);
    expect(await closedPage.getByRole('link', { name: 'Abrir el formulario en línea' }).getAttribute('href')).toBe('/tip/tips-e2e/es');
    await shot(closedPage, 'chat-10-after-hours-es');
    // No message of the hotline's own in French: the built-in one, and the link follows the language.
    await closedPage.getByRole('radio', { name: 'Français' }).check();
    await closedPage.getByText('Revenez pendant nos heures d’ouverture.').waitFor();
    expect(await closedPage.getByRole('link', { name: 'Ouvrir le formulaire en ligne' }).getAttribute('href')).toBe('/tip/tips-e2e/fr');
    await closedPage.getByRole('button', { name: 'Sortie rapide' }).waitFor();
    // A line that opens only while someone can answer, with nobody available: says so, in English here.
    await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'chat', name: 'Staffed chat', address: 'staffed-chat', settings: { onlyWhenStaffed: true } });
    await server.db.updateTable('app_user').set({ availability: 'offline' }).where('hotline_id', '=', server.hotline.id).execute();
    await closedPage.goto(`${server.url}/chat/staffed-chat/embed?lang=en`);
    await closedPage.getByRole('heading', { name: 'Nobody is available to chat right now' }).waitFor();
    await closedPage.getByText('Please try again in a little while.').waitFor();
    expect(await closedPage.getByRole('link', { name: 'Open the online form' }).getAttribute('href')).toBe('/tip/tips-e2e/en');
    await shot(closedPage, 'chat-11-nobody-available-en');
    // Someone becomes available: "Check again" offers the questions.
    const staff = await server.createUser({ roles: ['advocate'] });
    const staffClient = await new ApiClient(server.app).signIn(staff);
    expect((await staffClient.put('/api/me/availability', { availability: 'available' })).status).toBe(200);
    await closedPage.getByRole('button', { name: 'Check again' }).click();
    await closedPage.getByRole('button', { name: 'Start chat' }).waitFor();
    await closedPage.close();
  });
});
