// SPDX-License-Identifier: MIT
// person.mjs - one user of the web app in the test: a browser context (its own storage, as a
// separate browser profile would have) and its tabs, driven through the page as a person would.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

// Debian's Chromium (no browser download here); without the background-networking flags it
// keeps trying hosts this machine cannot reach.
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.IM_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const kWait = 15000;

export class Person {
  constructor(browser, url, name, artifacts) {
    this.browser = browser;
    this.url = url;
    this.name = name;
    this.password = `${name} password`;
    this.artifacts = artifacts;
    this.dialogs = [];   // every alert/confirm any of this person's tabs raised
    this.errors = [];    // uncaught exceptions in the app
  }

  async start() {
    this.context = await this.browser.newContext({ viewport: { width: 1100, height: 680 } });
    this.context.setDefaultTimeout(kWait);
    this.page = await this.newTab();
  }

  async newTab() {
    const page = await this.context.newPage();
    page.on('dialog', (dialog) => { this.dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
    page.on('pageerror', (error) => this.errors.push(error.message));
    await page.goto(`${this.url}/im/app/`);
    return page;
  }

  // Registers through the form ("Create account" signs in too); stay: "stay signed in".
  async register({ stay = false, page = this.page } = {}) {
    await page.fill('#login-username', this.name);
    await page.fill('#login-password', this.password);
    if (stay) await page.check('#login-stay');
    await page.click('#login-form button[value="register"]');
    await page.waitForSelector('#chat-view:not([hidden])', { timeout: kWait });
    await this.waitOnline(page);
    this.userId = await page.evaluate(() => JSON.parse(sessionStorage.getItem('im.session')).user_id);
    this.token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('im.session')).token);
  }

  // The banner is gone: the first poll was answered.
  waitOnline(page = this.page) {
    return page.waitForSelector('#status', { state: 'hidden', timeout: kWait });
  }

  async openConversation(name, page = this.page) {
    await page.locator('#conversations button', { hasText: name }).first().click();
    await page.waitForFunction((n) => document.getElementById('pane-title').textContent.endsWith(n), name, { timeout: kWait });
  }

  async send(text, page = this.page) {
    await page.fill('#composer-body', text);
    await page.press('#composer-body', 'Enter');
  }

  // The bodies in the open pane, in order.
  bodies(page = this.page) {
    return page.locator('#messages li.msg .body').allTextContents();
  }

  // Waits until the pane holds `expected` (in order, confirmed by the server, nothing else),
  // then asserts it: a message shown twice or missing fails here.
  async expectMessages(expected, page = this.page) {
    await page.waitForFunction((want) => {
      const shown = [...document.querySelectorAll('#messages li.msg')];
      return shown.length >= want.length && want.every((body) => shown.some((li) => li.dataset.id &&
        li.querySelector('.body').textContent === body));
    }, expected, { timeout: kWait }).catch(() => {});
    assert.deepEqual(await this.bodies(page), expected, `${this.name} sees exactly these messages, once each`);
  }

  async screenshot(label, page = this.page) {
    mkdirSync(this.artifacts, { recursive: true });
    await page.screenshot({ path: join(this.artifacts, `${label}-${this.name}.png`) });
  }

  assertNoErrors() {
    assert.deepEqual(this.errors, [], `${this.name}: no uncaught error in the app`);
    assert.deepEqual(this.dialogs, [], `${this.name}: no dialog was raised`);
  }
}
