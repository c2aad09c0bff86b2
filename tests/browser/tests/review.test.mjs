// A cell secretary on a phone records last year's classification of two members on the
// annual review page: a level with its points (the 100-point scale of 366-QĐ/TW), a refusal
// that names the field when the points do not earn the level, and the tally that follows.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.GRASSROOTS_URL;
const seed = JSON.parse(process.env.GRASSROOTS_SEED);
const screens = process.env.GRASSROOTS_SCREENS || "";
const secretary = { user: process.env.GRASSROOTS_SECRETARY, pass: process.env.GRASSROOTS_PASSWORD };
const phone = { width: 390, height: 844 };

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"],
  });
});

after(async () => {
  await browser?.close();
});

test("a secretary classifies members on the annual review page", async () => {
  const context = await browser.newContext({ viewport: phone, locale: "vi-VN", hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(base + "/signin");
  await page.fill("#f-username", secretary.user);
  await page.fill("#f-password", secretary.pass);
  await page.click("button.primary");
  await page.waitForLoadState("load");

  const year = new Date().getFullYear() - 1;
  await page.goto(`${base}/orgs/${seed.cellA}`);
  await page.click("text=Đánh giá, xếp loại");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("h1"), new RegExp(`năm ${year}`));
  const an = page.locator(`#member-${seed.an}`);
  assert.match(await an.textContent(), /Chưa xếp loại/);

  // Excellent needs 90 points: 85 is refused, naming the field.
  await an.locator("select[name=level]").selectOption("excellent");
  await an.locator("input[name=points]").fill("85");
  await an.locator("button[type=submit]").click();
  await page.waitForLoadState("load");
  assert.equal((await page.textContent("p.code")).trim(), "422");
  assert.match(await page.textContent("p.detail"), /points/);

  await page.goto(`${base}/orgs/${seed.cellA}/review?year=${year}`);
  const row = page.locator(`#member-${seed.an}`);
  await row.locator("select[name=level]").selectOption("good");
  await row.locator("input[name=points]").fill("85");
  await row.locator("button[type=submit]").click();
  await page.waitForLoadState("load");
  const saved = page.locator(`#member-${seed.an}`);
  assert.match(await saved.textContent(), /Hoàn thành tốt nhiệm vụ/);
  assert.match(await saved.textContent(), /85 điểm/);
  assert.match(await page.textContent("p.summary"), /Hoàn thành tốt nhiệm vụ: 1/);
  // The share reads as the printed report writes it: a decimal comma.
  assert.match(await page.textContent("p.summary"), /trở lên: 100,0%/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= phone.width, `page is ${width}px wide`);
  await shot(page, "review-phone");
  await context.close();
});

async function shot(page, name) {
  if (screens) await page.screenshot({ path: `${screens}/${name}.png`, fullPage: true });
}
