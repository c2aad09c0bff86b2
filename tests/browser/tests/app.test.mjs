// The web application in Debian's Chromium: sign in, the tree, member search without
// diacritics, a form error, the language switch, and a cell secretary kept out of another
// cell. run.sh starts the server and passes its address and the seeded ids.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.GRASSROOTS_URL;
const seed = JSON.parse(process.env.GRASSROOTS_SEED);
const screens = process.env.GRASSROOTS_SCREENS || "";
const admin = { user: process.env.GRASSROOTS_ADMIN, pass: process.env.GRASSROOTS_PASSWORD };
const secretary = { user: process.env.GRASSROOTS_SECRETARY, pass: process.env.GRASSROOTS_PASSWORD };

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

async function signedIn(who, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: "vi-VN" });
  const page = await context.newPage();
  await page.goto(base + "/");
  assert.match(page.url(), /\/signin/);
  await page.fill("#f-username", who.user);
  await page.fill("#f-password", who.pass);
  await page.click("button.primary");
  await page.waitForLoadState("load");
  return { context, page };
}

async function shot(page, name) {
  if (screens) await page.screenshot({ path: `${screens}/${name}.png`, fullPage: true });
}

test("sign in lands on the dashboard with the counts", async () => {
  const { context, page } = await signedIn(admin);
  assert.match(page.url(), /\/dashboard$/);
  assert.equal(await page.textContent("h1"), "Tổng quan tổ chức");
  const body = await page.textContent("main");
  assert.match(body, /9 đảng viên/);
  assert.match(body, /Chi bộ Khu phố 3/, "the empty cell is flagged");
  await shot(page, "dashboard");
  await context.close();
});

test("wrong password stays on the sign-in page with a message", async () => {
  // A Vietnamese browser gets Vietnamese before anyone signs in (Accept-Language).
  const context = await browser.newContext({ locale: "vi-VN" });
  const page = await context.newPage();
  await page.goto(base + "/signin");
  assert.equal(await page.textContent("h1"), "Đăng nhập");
  await page.fill("#f-username", admin.user);
  await page.fill("#f-password", "not the password");
  await page.click("button.primary");
  assert.match(await page.textContent(".alert"), /không đúng/);
  await context.close();
  // An English browser gets English.
  const en = await browser.newContext({ locale: "en-GB" });
  const enPage = await en.newPage();
  await enPage.goto(base + "/signin");
  assert.equal(await enPage.textContent("h1"), "Sign in");
  await en.close();
});

test("browse the tree down to a cell and back in time", async () => {
  const { context, page } = await signedIn(admin);
  await page.click("nav >> text=Cây tổ chức");
  await page.waitForSelector("ul.tree");
  assert.match(await page.textContent("ul.tree"), /Đảng bộ phường Phước Hội/);
  await page.click("ul.tree >> text=Đảng bộ Điện lực La Gi");
  assert.equal((await page.textContent("h1")).trim().startsWith("Đảng bộ Điện lực La Gi"), true);
  assert.match(await page.textContent("main"), /Chi bộ Khu phố 2/);
  await page.goto(`${base}/tree?root=${seed.ward}`);
  await shot(page, "tree");
  await page.fill("input[name=as_of]", "2019-12-31");
  await page.click("form.filters button");
  assert.match(await page.textContent("main"), /Không có tổ chức nào vào ngày này/);
  await page.fill("input[name=q]", "khu pho 2");
  await page.click("form.filters button");
  assert.match(await page.textContent(".results"), /Chi bộ Khu phố 2/);
  await context.close();
});

test("search a member without diacritics", async () => {
  const { context, page } = await signedIn(admin);
  await page.goto(base + "/members");
  await shot(page, "members");
  await page.fill("input[name=q]", "nguyen van an");
  await page.click("form.filters button");
  const rows = await page.locator("table.members tbody tr").allTextContents();
  assert.equal(rows.length, 1);
  assert.match(rows[0], /Nguyễn Văn An/);
  await page.fill("input[name=q]", "thang");
  await page.click("form.filters button");
  assert.match(await page.textContent("table.members"), /Phạm Đức Thắng/);
  await context.close();
});

test("editing a member with an invalid field shows the error next to it", async () => {
  const { context, page } = await signedIn(admin);
  await page.goto(`${base}/members/${seed.an}`);
  await page.click("text=Sửa");
  await page.fill("#f-citizen_id", "12AB");
  await page.click("button.primary");
  const error = page.locator('.error[data-field="citizen_id"]');
  assert.match(await error.textContent(), /12 digits/);
  assert.equal(await page.getAttribute("#f-citizen_id", "aria-invalid"), "true");
  assert.equal(await page.inputValue("#f-citizen_id"), "12AB", "the input is kept");
  await shot(page, "member-edit-error");
  // Fixing it saves and returns to the profile.
  await page.fill("#f-citizen_id", "052086000321");
  await page.click("button.primary");
  await page.waitForURL(`${base}/members/${seed.an}`);
  assert.match(await page.textContent("main"), /052086000321/);
  await context.close();
});

test("switch the language", async () => {
  const { context, page } = await signedIn(admin);
  await page.selectOption("#lang-select", "en");
  await page.waitForLoadState("load");
  await page.waitForSelector("text=Overview of your organization");
  assert.match(await page.textContent("main"), /9 members/);
  await page.selectOption("#lang-select", "ru");
  await page.waitForSelector("text=Обзор вашей организации");
  await page.goto(`${base}/members/${seed.an}`);
  assert.match(await page.textContent("main"), /02\.09\.1986/, "Russian date form");
  await page.selectOption("#lang-select", "vi");
  await page.waitForSelector("text=Ngày sinh");
  assert.match(await page.textContent("main"), /02\/09\/1986/, "Vietnamese date form");
  await context.close();
});

test("a cell secretary cannot open another cell's member, in the page or the API", async () => {
  const { context, page } = await signedIn(secretary, { width: 390, height: 844 });
  const own = await page.goto(`${base}/members/${seed.an}`);
  assert.equal(own.status(), 200);
  const other = await page.goto(`${base}/members/${seed.binh}`);
  assert.ok([403, 404].includes(other.status()), `page answered ${other.status()}`);
  assert.match(await page.textContent("main"), /Không tìm thấy/);
  const api = await page.evaluate(async (id) => {
    const r = await fetch(`/api/v1/members/${id}`);
    return { status: r.status, body: await r.json() };
  }, seed.binh);
  assert.ok([403, 404].includes(api.status), `API answered ${api.status}`);
  assert.equal(api.body.error, "not_found");
  const list = await page.goto(`${base}/members`);
  assert.equal(list.status(), 200);
  const text = await page.textContent("table.members");
  assert.match(text, /Nguyễn Văn An/);
  assert.doesNotMatch(text, /Lê Thị Bình/);
  await shot(page, "secretary-phone");
  await context.close();
});

test("the lifecycle pages of a cell: pipeline, probation, and dues with the Excel sheet", async () => {
  const { context, page } = await signedIn(admin);
  await page.goto(`${base}/orgs/${seed.cellA}`);
  await page.click("text=Quần chúng ưu tú");
  await page.waitForLoadState("load");
  assert.match(page.url(), new RegExp(`/orgs/${seed.cellA}/candidates$`));
  const pipeline = await page.textContent("main");
  assert.match(pipeline, /Mai Thị Thanh Tâm/);
  assert.match(pipeline, /NT-0042/);
  assert.match(pipeline, /Giới thiệu/, "the next step is the introduction");
  await shot(page, "candidates");

  await page.goto(`${base}/orgs/${seed.cellA}/probation`);
  assert.match(await page.textContent("main"), /Lê Hoàng Yến/);
  await shot(page, "probation");

  await page.goto(`${base}/orgs/${seed.cellA}`);
  await page.click("text=Đảng phí hằng tháng");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("main"), /Nguyễn Văn An/);
  const href = await page.getAttribute("a:has-text('Tải Excel')", "href");
  assert.match(href, /dues-sheet\?month=\d{4}-\d{2}&format=xlsx$/);
  const xlsx = await page.request.get(base + href);
  assert.equal(xlsx.status(), 200);
  assert.match(xlsx.headers()["content-type"], /spreadsheetml/);
  const bytes = await xlsx.body();
  assert.equal(bytes.subarray(0, 2).toString(), "PK");
  await shot(page, "dues");
  await context.close();
});
