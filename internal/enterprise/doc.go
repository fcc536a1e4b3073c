// Package enterprise is the registry of 生产经营单位 that the platform
// supervises (安全监管对象数据库, 一企一档): each enterprise's record, who
// supervises it, its supervision class, its major-hazard installations, its
// credit listing and its licences and certificates.
//
// The law it implements:
//   - 安全生产法 (2021) 第九条、第十条 (三管三必须: 管行业必须管安全) — the
//     supervising departments of each category, and territorial supervision;
//   - 安全生产法 第六十二条 (分类分级监督管理) — the supervision class and its
//     inspection frequency (no national A–D scheme exists; class.go documents
//     the rule chosen and makes it configurable);
//   - GB 18218-2018 危险化学品重大危险源辨识 — installations (majorsource.go,
//     with the computation in package rules);
//   - 应急管理部令第11号《安全生产严重失信主体名单管理办法》 — the blacklist,
//     its 3-year term and 信用修复 after 12 months (credit.go);
//   - 安全生产法 第二十七条, 原安监总局令第30号 — 三项岗位人员 certificates,
//     特种作业操作证 6-year validity and 3-yearly 复审 (certificate.go);
//   - GB 32100-2015 — the 统一社会信用代码 check character (package rules).
//
// An enterprise is an org unit of kind enterprise, so jurisdiction scope
// (region, supervisions, grants, the enterprise's own users) applies to it
// unchanged; its record is in the enterprises table keyed by that unit.
package enterprise
