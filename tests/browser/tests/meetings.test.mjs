// A cell secretary on a phone: schedules the year, opens today's meeting, ticks off two
// absentees (one excused with a reason), saves, and reads the alert that follows. Then the
// superior committee rates the held meeting and records the cell's elected committee.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.GRASSROOTS_URL;
const seed = JSON.parse(process.env.GRASSROOTS_SEED);
const screens = process.env.GRASSROOTS_SCREENS || "";
const secretary = { user: process.env.GRASSROOTS_SECRETARY, pass: process.env.GRASSROOTS_PASSWORD };
const admin = { user: process.env.GRASSROOTS_ADMIN, pass: process.env.GRASSROOTS_PASSWORD };
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

async function shot(page, name) {
  if (screens) await page.screenshot({ path: `${screens}/${name}.png`, fullPage: true });
}

test("a secretary records a meeting's attendance on a phone", async () => {
  const context = await browser.newContext({ viewport: phone, locale: "vi-VN", hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(base + "/signin");
  await page.fill("#f-username", secretary.user);
  await page.fill("#f-password", secretary.pass);
  await page.click("button.primary");
  await page.waitForLoadState("load");

  // The calendar: schedule this year's regular meetings from the form.
  await page.goto(`${base}/orgs/${seed.cellA}`);
  await page.click("text=Sinh hoạt chi bộ");
  await page.waitForSelector("ol.calendar");
  await page.click("form[action$='/meetings/schedule'] button");
  await page.waitForSelector("ol.calendar");
  assert.equal(await page.locator("ol.calendar li.mt-scheduled >> text=Sinh hoạt định kỳ").count(), 12);
  // The month grid is one column on a phone: nothing wider than the screen.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= phone.width, `page is ${width}px wide`);
  await shot(page, "meetings-calendar-phone");

  // Today's meeting: everyone is ticked present.
  await page.goto(`${base}/meetings/${seed.meeting}`);
  const boxes = page.locator("#attendance-form input[type=checkbox]");
  assert.equal(await boxes.count(), 4);
  for (let i = 0; i < 4; i++) assert.equal(await boxes.nth(i).isChecked(), true);
  assert.match(await page.textContent("#check-in-code"), /^\d{6}$/);
  // The reason fields show only once a member is ticked off.
  const thang = page.locator(".roll-row", { hasText: "Phạm Đức Thắng" });
  assert.equal(await thang.locator("input[name^=reason_]").isVisible(), false);
  await thang.locator("label.tap").tap();
  assert.equal(await thang.locator("input[name^=reason_]").isVisible(), true);
  await thang.locator("select").selectOption("absent_excused");
  await thang.locator("input[name^=reason_]").fill("Ốm, có giấy");
  const ngoc = page.locator(".roll-row", { hasText: "Trần Thị Bích Ngọc" });
  await ngoc.locator("label.tap").tap();
  await ngoc.locator("select").selectOption("absent_unexcused");
  await shot(page, "meeting-roll-call-phone");
  await page.click("text=Lưu điểm danh");
  await page.waitForLoadState("load");

  const table = await page.textContent("table.members");
  assert.match(table, /Phạm Đức Thắng\s*vắng có lý do\s*Ốm, có giấy/);
  assert.match(table, /Trần Thị Bích Ngọc\s*vắng không lý do/);
  assert.match(table, /Nguyễn Văn An\s*có mặt/);
  assert.equal(await page.locator("#attendance-form").count(), 0, "the list is recorded once");
  await shot(page, "meeting-recorded-phone");

  // The alert follows, naming the member and the meeting.
  await page.goto(`${base}/orgs/${seed.cellA}/meetings/figures`);
  const alert = page.locator("tr.alert-absent_unexcused");
  assert.equal(await alert.count(), 1);
  assert.match(await alert.textContent(), /Trần Thị Bích Ngọc/);
  assert.equal(await alert.locator(`a[href="/meetings/${seed.meeting}"]`).count(), 1);
  assert.match(await page.textContent("#fig-rate"), /50\.0 %/);
  await shot(page, "meeting-figures-phone");
  await context.close();
});

// Runs after the roll call above (tests in a file run in order): the meeting is held now.
test("the superior committee rates the held meeting and records the cell committee", async () => {
  const context = await browser.newContext({ viewport: phone, locale: "vi-VN", hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(base + "/signin");
  await page.fill("#f-username", admin.user);
  await page.fill("#f-password", admin.pass);
  await page.click("button.primary");
  await page.waitForLoadState("load");

  await page.goto(`${base}/meetings/${seed.meeting}`);
  assert.equal(await page.locator("#cancel-form").count(), 0, "a held meeting cannot be cancelled");
  const form = page.locator("#evaluation-form");
  assert.equal(await form.isVisible(), true);
  // The committees above the cell are offered, nearest first; the cell is not.
  const offered = await form.locator("select[name=evaluator_org_id] option").allTextContents();
  assert.ok(offered.length >= 2, offered.join(", "));
  assert.ok(!offered.includes("Chi bộ Khu phố 1"), offered.join(", "));
  await form.locator("label.tap", { hasText: "Khá" }).tap();
  await shot(page, "meeting-evaluation-phone");
  await form.locator("button").click();
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#oversight"), /Đánh giá:\s*Khá/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= phone.width, `page is ${width}px wide`);

  await page.goto(`${base}/orgs/${seed.cellA}/meetings`);
  assert.match(await page.textContent("#cell-committee"), /Chưa có chi ủy/);
  await page.click("#cell-committee summary");
  await page.selectOption("#f-secretary", { label: "Nguyễn Văn An" });
  await page.fill("#f-decision", "15-QĐ/ĐU");
  await page.click("#cell-committee-form button");
  await page.waitForLoadState("load");
  const committee = await page.textContent("#cell-committee");
  assert.match(committee, /Bí thư\s*Nguyễn Văn An/);
  assert.match(committee, /15-QĐ\/ĐU/);
  await shot(page, "cell-committee-phone");
  await context.close();
});
