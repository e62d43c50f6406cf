import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { COMPOSER, login, openPage, type PageOptions, useChat } from './e2e-helpers.js';

const chat = useChat();
const run = chat.run;

async function open(options: PageOptions = {}): Promise<Page> {
  const page = await openPage(chat.browser, chat.server.httpUrl, options);
  page.setDefaultTimeout(8000); // a missing control fails with its name, before the test's timeout
  return page;
}
const composer = (page: Page) => page.getByRole('textbox', { name: COMPOSER });
const picker = (page: Page) => page.getByRole('dialog', { name: /Emoji|อีโมจิ/ });
const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return `${el?.tagName.toLowerCase()}:${el?.getAttribute('aria-label') ?? ''}`;
  });

describe.runIf(run)('web emoji picker', () => {
  it('stays open for clicks inside and picks, updates the recents, and closes on Escape or a click outside', async () => {
    const page = await open();
    await login(page, 'clicker');
    await page.getByRole('button', { name: 'Emoji' }).click();
    const dialog = picker(page);
    await dialog.getByRole('tab', { name: 'Animals & nature' }).click();
    await dialog.getByRole('heading', { name: 'Animals & nature' }).waitFor();
    await dialog.getByRole('button', { name: /Skin tone: default/ }).click();
    await dialog.getByRole('button', { name: /Skin tone: light/ }).waitFor();
    await dialog.getByRole('button', { name: 'cat face', exact: true }).click();
    await dialog.getByRole('tab', { name: 'Smileys & emotion' }).click();
    await dialog.getByRole('button', { name: 'grinning face', exact: true }).click();
    expect(await composer(page).inputValue()).toBe('🐱😀');
    // The recents show both, newest first, at once.
    await dialog.getByRole('tab', { name: 'Recently used' }).click();
    const recent = dialog.getByRole('tabpanel').getByRole('button');
    expect(await recent.allTextContents()).toEqual(['😀', '🐱']);
    // Skin tones apply to what is picked.
    await dialog.getByRole('tab', { name: 'People & body' }).click();
    await dialog.getByRole('button', { name: 'waving hand', exact: true }).click();
    expect(await composer(page).inputValue()).toBe('🐱😀👋🏻');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedLabel(page)).toMatch(/^textarea:/);

    await page.getByRole('button', { name: 'Emoji' }).click();
    await dialog.waitFor();
    await page.getByRole('log').click({ position: { x: 10, y: 10 } });
    await dialog.waitFor({ state: 'detached' });
  });

  it('is usable from the keyboard alone', async () => {
    const page = await open();
    await login(page, 'keys');
    await composer(page).focus();
    await page.keyboard.press('Tab'); // the emoji button
    await page.keyboard.press('Enter');
    const dialog = picker(page);
    await dialog.getByRole('tab').first().waitFor();
    expect(await focusedLabel(page)).toBe('input:Search emoji');
    await page.keyboard.press('Tab'); // skin tone
    await page.keyboard.press('Tab'); // the selected category
    expect(await focusedLabel(page)).toBe('button:Smileys & emotion');
    await page.keyboard.press('ArrowRight');
    expect(await focusedLabel(page)).toBe('button:People & body');
    await dialog.getByRole('heading', { name: 'People & body' }).waitFor();
    await page.keyboard.press('Tab'); // into the grid
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const chosen = (await focusedLabel(page)).replace('button:', '');
    await page.keyboard.press('Enter');
    const text = await composer(page).inputValue();
    expect(text.length).toBeGreaterThan(0);
    expect(await dialog.getByRole('button', { name: chosen, exact: true }).textContent()).toBe(text);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('searches in Thai for a Thai UI, with Thai labels', async () => {
    const page = await open({ locale: 'th-TH' });
    await login(page, 'แมวน้อย');
    await page.getByRole('button', { name: 'อีโมจิ' }).click();
    const dialog = picker(page);
    await dialog.getByRole('searchbox', { name: 'ค้นหาอีโมจิ' }).fill('แมว');
    await dialog.getByRole('button', { name: 'แมว', exact: true }).click();
    expect(await composer(page).inputValue()).toBe('🐈');
    await dialog.getByRole('searchbox').fill('cat');
    await dialog.getByRole('button', { name: 'หน้าแมว', exact: true }).waitFor();
  });

  it('fits a 360 px phone', async () => {
    const page = await open({ width: 360, height: 640 });
    await login(page, 'small');
    await page.getByRole('button', { name: 'Emoji' }).click();
    const box = (await picker(page).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(box.y).toBeGreaterThanOrEqual(0);
  });
});
