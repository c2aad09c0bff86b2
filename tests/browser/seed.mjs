// Seeds a small tree and members through the JSON API, as the administrator, and prints
// the ids the tests need as JSON. Usage: node seed.mjs BASE_URL USERNAME PASSWORD
const [base, username, password] = process.argv.slice(2);

let cookie = "";
let csrf = "";

async function call(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: {
      "content-type": "application/json",
      cookie,
      ...(csrf ? { "x-csrf-token": csrf } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  const set = res.headers.get("set-cookie");
  if (set && set.startsWith("gr_session=")) cookie = set.split(";")[0];
  return text ? JSON.parse(text) : null;
}

const session = await call("POST", "/api/v1/session", { username, password });
csrf = session.csrf;

const org = (code, name, kind, parent_id) =>
  call("POST", "/api/v1/orgs", { code, name, kind, parent_id, founded_on: "2020-01-01" });
const member = (full_name, cell, extra = {}) =>
  call("POST", "/api/v1/members", {
    full_name,
    birth_date: "1986-09-02",
    gender: "male",
    ethnicity: "Kinh",
    citizen_id: null,
    party_card_no: null,
    admitted_on: "2012-02-03",
    official_on: "2013-02-03",
    org_id: cell.id,
    status: "official",
    status_since: "2013-02-03",
    joined_on: "2020-01-01",
    ...extra,
  });

const province = await org("BT", "Đảng bộ tỉnh Bình Thuận", "provincial", null);
const ward = await org("BT.LAGI.PH", "Đảng bộ phường Phước Hội", "commune", province.id);
const school = await org("BT.LAGI.PH.THCS", "Chi bộ Trường THCS Phước Hội", "grassroots_cell", ward.id);
const company = await org("BT.LAGI.PH.DL", "Đảng bộ Điện lực La Gi", "grassroots_committee", ward.id);
const cellA = await org("BT.LAGI.PH.KP1", "Chi bộ Khu phố 1", "cell", company.id);
const cellB = await org("BT.LAGI.PH.KP2", "Chi bộ Khu phố 2", "cell", company.id);
await org("BT.LAGI.PH.KP3", "Chi bộ Khu phố 3", "cell", company.id);

const an = await member("Nguyễn Văn An", cellA);
await member("Trần Thị Bích Ngọc", cellA, { gender: "female" });
await member("Phạm Đức Thắng", cellA);
await member("Lê Hoàng Yến", cellA, { gender: "female", admitted_on: "2025-03-26", official_on: null, status: "probationary", status_since: "2025-03-26" });
const binh = await member("Lê Thị Bình", cellB, { gender: "female" });
await member("Đặng Quốc Việt", cellB);
await member("Võ Thị Hồng Nhung", school, { gender: "female" });
await member("Huỳnh Văn Sáu", school);
await member("Ngô Thị Thu Trang", school, { gender: "female" });

// A meeting of cell A today, for the roll call.
const today = new Date();
const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
const meeting = await call("POST", `/api/v1/orgs/${cellA.id}/meetings`, {
  kind: "extraordinary",
  date: iso,
  agenda: "Triển khai nhiệm vụ",
});

// A candidate in cell A with the awareness class done: the lifecycle pages list her.
const candidate = await call("POST", `/api/v1/orgs/${cellA.id}/candidates`, {
  full_name: "Mai Thị Thanh Tâm", birth_date: "2001-08-15", gender: "female", ethnicity: "Kinh",
  registered_on: "2025-09-01",
});
await call("POST", `/api/v1/candidates/${candidate.id}/steps`, {
  on: "2025-09-20", step: "awareness_class", certificate_no: "NT-0042",
});

console.log(JSON.stringify({ province: province.id, ward: ward.id, cellA: cellA.id, cellB: cellB.id, an: an.id, binh: binh.id, meeting: meeting.id }));
