// Browser test of what admins use (run by e2e/run.sh, from .ci/run): the live console, the
// settings process in Tasklist, and Cockpit, in headless Chromium. Screenshots: target/e2e/.
import { chromium } from 'playwright-core';

const BASE = process.env.E2E_BASE;
const KEY = process.env.E2E_API_KEY;
const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD;
const SHOTS = 'target/e2e/';
const COMPANY = 'e2e-' + Date.now();
const TIMEOUT = 20000;

async function rest(method, path, body) {
  const response = await fetch(BASE + '/api/v1/companies/' + COMPANY + path, {
    method,
    headers: { Authorization: 'Bearer ' + KEY, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(method + ' ' + path + ' -> ' + response.status + ' ' + text);
  return text ? JSON.parse(text) : null;
}

function check(condition, message) {
  if (!condition) throw new Error('Check failed: ' + message);
  console.log('ok - ' + message);
}

// Camunda's webapps serve their pages with a CSP sandbox in which headless Chromium's synthetic
// mouse and keyboard input does not arrive; there the test sets values as typing does (native
// setter + input/change events) and clicks through the DOM.
const domClick = (locator) => locator.first().evaluate((el) => el.click());
const domFill = (locator, value) => locator.first().evaluate((el, v) => {
  const prototype = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value').set.call(el, v);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
}, value);

async function camundaLogin(page, app) {
  await page.goto(BASE + '/camunda/app/' + app + '/default/');
  await page.waitForSelector('input[placeholder="Username"]', { timeout: TIMEOUT });
  await page.waitForTimeout(1000);
  await domFill(page.locator('input[placeholder="Username"]'), 'admin');
  await domFill(page.locator('input[placeholder="Password"]'), ADMIN_PASSWORD);
  await domClick(page.locator('button[type=submit]'));
}

async function consoleScenario(browser) {
  await rest('PUT', '/auto-assign', { maxChatsPerAgent: 1 });
  await rest('PUT', '/agents/ann', { name: 'Ann', role: 'AGENT' });
  await rest('PUT', '/agents/boss', { name: 'Boss', role: 'ADMIN' });
  await rest('PUT', '/agents/ann/status', { status: 'ACTIVE' });

  const token = (await rest('POST', '/agents/boss/tokens')).token;

  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(BASE + '/console');
  await page.locator('#login-form').waitFor({ timeout: TIMEOUT });
  check(!(await page.locator('#console').isVisible()) && !(await page.locator('#headline').isVisible()),
    'before logging in only the login card shows (no empty panels)');
  await page.fill('#company', COMPANY);
  await page.fill('#credential', KEY);
  await page.click('button[type=submit]');
  await page.locator('#login-error', { hasText: 'admin token' }).waitFor({ timeout: TIMEOUT });
  check(!(await page.locator('#console').isVisible()), "the platform's API key is refused: the console wants an admin token");

  await page.fill('#credential', token);
  await page.click('button[type=submit]');
  const annLoad = page.locator('#agents tr[data-agent-id="ann"] td.load');
  await annLoad.filter({ hasText: '0 / 1' }).waitFor({ timeout: TIMEOUT });
  await page.locator('#connection.live').waitFor({ timeout: TIMEOUT });
  check(true, 'console shows ann with load 0 / 1 and a live connection');
  check(!(await page.locator('#login').isVisible()), 'the login card is gone once logged in');

  await rest('POST', '/chats', { chatId: 'c1', member: { id: 'm1', name: 'Mia' }, message: 'Hello?', preferredAgentId: 'ann' });
  await annLoad.filter({ hasText: '1 / 1' }).waitFor({ timeout: TIMEOUT });
  check(true, "ann's load rises to 1 / 1 live after a chat is assigned");
  const c1 = page.locator('#chats tr[data-chat-id="c1"]');
  await c1.filter({ hasText: 'ASSIGNED' }).filter({ hasText: 'ann' }).waitFor({ timeout: TIMEOUT });
  check(true, 'the open chats show c1 held by ann');
  await c1.locator('td.preferred', { hasText: 'ann (requested)' }).waitFor({ timeout: TIMEOUT });
  check(true, 'the open chats show that c1 asked for ann');
  await page.locator('#figure-assign', { hasText: ' s' }).waitFor({ timeout: TIMEOUT });
  check(true, 'the headline shows the time to assign');

  await rest('POST', '/chats', { chatId: 'c2', member: { id: 'm2', name: 'Noah' } });
  const queued = page.locator('#queue tr[data-chat-id="c2"]');
  await queued.waitFor({ timeout: TIMEOUT });
  check((await queued.locator('td').first().textContent()) === '1', 'the queued chat c2 appears live at position 1');
  await page.locator('#figure-queue', { hasText: '1' }).waitFor({ timeout: TIMEOUT });
  check(true, 'the headline shows one queued chat');
  await page.locator('#feed li', { hasText: 'CHAT_QUEUED' }).first().waitFor({ timeout: TIMEOUT });
  check(true, 'the event feed shows CHAT_QUEUED');
  await rest('POST', '/chats', { chatId: 'c3', member: { id: 'm3', name: 'Ivy' } });
  await page.locator('#queue tr[data-chat-id="c3"]').waitFor({ timeout: TIMEOUT });
  await rest('PUT', '/chats/c3/priority', { priority: 'URGENT' });
  await page.locator('#queue tr:first-child[data-chat-id="c3"]', { hasText: 'URGENT' }).waitFor({ timeout: TIMEOUT });
  check(true, 'a new priority moves c3 to the head of the queue live, showing URGENT');
  await rest('POST', '/chats/c3/close');
  await page.locator('#queue tr[data-chat-id="c3"]').waitFor({ state: 'detached', timeout: TIMEOUT });
  await page.screenshot({ path: SHOTS + 'console.png', fullPage: true });

  await rest('POST', '/chats/c1/close');
  await page.locator('#queue tr[data-chat-id="c2"]').waitFor({ state: 'detached', timeout: TIMEOUT });
  check(true, 'closing c1 drains c2 out of the queue live');
  await c1.waitFor({ state: 'detached', timeout: TIMEOUT });
  await page.locator('#chats tr[data-chat-id="c2"]', { hasText: 'ann' }).waitFor({ timeout: TIMEOUT });
  check(true, 'the closed chat c1 leaves the open chats; c2 is now held by ann');

  await rest('POST', '/chats/c2/takeover', { adminId: 'boss' });
  await page.locator('#chats tr[data-chat-id="c2"]', { hasText: 'TAKEN_OVER' }).filter({ hasText: 'boss' })
    .waitFor({ timeout: TIMEOUT });
  check(true, 'the takeover shows live: c2 held by boss');

  await rest('PATCH', '/auto-assign', { maxChatsPerAgent: 3 });
  await page.locator('#capacity', { hasText: 'capacity 3 per agent' }).waitFor({ timeout: TIMEOUT });
  check(true, 'a changed capacity shows without reloading');
  await rest('PATCH', '/auto-assign', { maxChatsPerAgent: 1 });

  // the no-reply countdown of an assigned chat whose member waits
  await rest('PATCH', '/auto-assign', { noReplyReassignEnabled: true, noReplyMinutes: 30 });
  await rest('POST', '/chats', { chatId: 'c5', member: { id: 'm5' }, message: 'anyone there?' });
  await page.locator('#chats tr[data-chat-id="c5"] .no-reply', { hasText: /^(29|30):/ }).waitFor({ timeout: TIMEOUT });
  check(true, 'an assigned chat whose member waits shows the no-reply countdown');
  await rest('POST', '/chats/c5/messages', { sender: 'AGENT', text: 'here' });
  await page.locator('#chats tr[data-chat-id="c5"] .no-reply', { hasText: '—' }).waitFor({ timeout: TIMEOUT });
  check(true, 'and the agent\'s answer stops it');
  await rest('PATCH', '/auto-assign', { noReplyReassignEnabled: false });
  await rest('POST', '/chats/c5/close');

  // business hours on a weekday that is not today's (in UTC): closed now
  const days = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
  const otherDay = days[(new Date().getUTCDay() + 3) % 7];
  await rest('PATCH', '/auto-assign', { businessHoursEnabled: true, timeZone: 'UTC',
    weeklyHours: [{ day: otherDay, from: '09:00', to: '17:00' }] });
  await page.locator('#figure-hours', { hasText: 'closed' }).waitFor({ timeout: TIMEOUT });
  await page.locator('#hours-detail', { hasText: 'opens' }).waitFor({ timeout: TIMEOUT });
  check(true, 'the headline shows that the team is closed and when it opens');
  await rest('PATCH', '/auto-assign', { businessHoursEnabled: false });
  await page.locator('#figure-hours', { hasText: 'open' }).waitFor({ timeout: TIMEOUT });
  check(true, 'and open again once business hours are off');

  await page.screenshot({ path: SHOTS + 'console-after.png', fullPage: true });
  await page.close();
}

async function tasklistScenario(browser) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await camundaLogin(page, 'tasklist');
  await page.getByText('Start process', { exact: true }).first().waitFor({ timeout: TIMEOUT });
  await domClick(page.getByText('Start process', { exact: true }));
  await domClick(page.locator('.modal a', { hasText: 'Change auto-assign settings' }));
  const companyField = page.locator('.modal input[id$="Field_companyId"]');
  await companyField.waitFor({ timeout: TIMEOUT });
  await domFill(companyField, COMPANY);
  await page.waitForTimeout(1500); // form-js takes typed values after a short debounce
  await domClick(page.locator('.modal button', { hasText: 'Start' }));
  await page.getByText('The process has been started.').waitFor({ timeout: TIMEOUT });
  await page.reload(); // the task list refreshes on its own only now and then
  await page.locator('.tasks-list li', { hasText: 'Edit auto-assign settings' }).first().waitFor({ timeout: TIMEOUT });
  check(true, 'the settings process starts from Tasklist and its task appears');

  await openFirstTask(page);
  const max = page.locator('input[id$="Field_maxChatsPerAgent"]');
  check((await max.inputValue()) === '1', 'the form shows the current maxChatsPerAgent (1)');
  await domFill(max, '0');
  await page.waitForTimeout(1500);
  await domClick(page.getByText('Complete', { exact: true }));
  await page.waitForTimeout(2000);
  await page.reload();
  await openFirstTask(page);
  const error = page.getByText('maxChatsPerAgent must be between 1 and 100');
  await error.waitFor({ timeout: TIMEOUT });
  check(true, 'submitting 0 brings the form back with the error');
  await page.screenshot({ path: SHOTS + 'tasklist-error.png', fullPage: true });
  check((await rest('GET', '/auto-assign')).maxChatsPerAgent === 1, 'the bad value was not applied');

  await domFill(page.locator('input[id$="Field_maxChatsPerAgent"]'), '7');
  await page.waitForTimeout(1500);
  await domClick(page.getByText('Complete', { exact: true }));
  await page.waitForTimeout(2000);
  await page.screenshot({ path: SHOTS + 'tasklist-done.png', fullPage: true });
  check((await rest('GET', '/auto-assign')).maxChatsPerAgent === 7, 'submitting 7 applies it: the REST API reads 7');
  await page.close();
}

async function openFirstTask(page) {
  const task = page.locator('.tasks-list li a', { hasText: 'Edit auto-assign settings' });
  await task.first().waitFor({ timeout: TIMEOUT });
  await domClick(task);
  await page.locator('input[id$="Field_maxChatsPerAgent"]').waitFor({ timeout: TIMEOUT });
  await page.waitForTimeout(1000);
}

async function cockpitScenario(browser) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await camundaLogin(page, 'cockpit');
  await page.getByText('Processes', { exact: true }).first().waitFor({ timeout: TIMEOUT });
  await page.goto(BASE + '/camunda/app/cockpit/default/#/processes');
  const row = page.locator('tr', { hasText: 'Chat lifecycle' }).first();
  await row.waitFor({ timeout: TIMEOUT });
  const running = Number((await row.locator('td.instances').textContent()).trim());
  check(running >= 1, 'Cockpit lists the chat-lifecycle process with running instances (' + running + ')');
  await page.screenshot({ path: SHOTS + 'cockpit-processes.png', fullPage: true });
  await domClick(row.locator('a', { hasText: 'Chat lifecycle' }));
  const instance = page.locator('tr', { hasText: 'c2' }).first();
  await instance.waitFor({ timeout: TIMEOUT });
  check(true, 'the running chat c2 is listed by its chat id (the business key)');
  await page.waitForTimeout(2000); // the diagram and its statistics render
  await page.screenshot({ path: SHOTS + 'cockpit-chat-lifecycle.png', fullPage: true });
  await domClick(instance.locator('a').first());
  await page.getByText(COMPANY).first().waitFor({ timeout: TIMEOUT });
  check(true, "the instance shows the chat's company as its tenant id");
  await page.screenshot({ path: SHOTS + 'cockpit-chat-instance.png', fullPage: true });
  await page.close();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
});
try {
  await consoleScenario(browser);
  await tasklistScenario(browser);
  await cockpitScenario(browser);
  console.log('browser test passed');
} catch (error) {
  // what the browser showed when it failed
  for (const [index, page] of browser.contexts().flatMap((context) => context.pages()).entries()) {
    await page.screenshot({ path: SHOTS + 'failure-' + index + '.png', fullPage: true }).catch(() => {});
  }
  throw error;
} finally {
  await browser.close();
}
