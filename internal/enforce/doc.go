// Package enforce is 执法: the enforcing departments' annual inspection
// plans (安全生产法 Art. 62, 安监总政法〔2017〕150号), 双随机一公开 draws
// (国办发〔2015〕58号, 国发〔2019〕5号), inspections, writs and penalties
// (行政处罚法, 安全生产违法行为行政处罚办法). REGULATIONS.md §7 and §14.
//
// Service (service.go) is the use cases over the tables this package owns
// (enforce_*): plans (plan.go), the officers and their declared conflicts
// (officers.go), draws (draws.go) and the inspections planned or recorded
// against an enterprise, which the caps count (inspections.go).
//
// 行政处罚案件 (case*.go) follow 《中华人民共和国行政处罚法》(2021): 立案,
// investigation, 告知 (Art. 44–45), hearing (Art. 63–64), 法制审核 (Art. 58),
// 集体讨论 (Art. 57), decision within 90 days (Art. 60), service (Art. 61),
// payment and its 加处罚款 (Art. 67, 72), 当场处罚 (Art. 51–52), 首违不罚
// (Art. 33), with 行政强制法 Art. 35, 45, 53–54 after non-payment and
// 安全生产法 Art. 112's 按日连续处罚; the clocks are pure (case_clock.go),
// the figures the law leaves open configuration (case_rules.go).
//
// What a decision sets going: 公示 (publish*.go; 安全生产法 Art. 78, 国办发
// 〔2018〕118号, 行政处罚法 Art. 48) with personal data masked (mask.go);
// the escalations (escalate.go): 安全生产法 Art. 113's closure count,
// 两高《关于办理危害生产安全刑事案件适用法律若干问题的解释》(2015) Art. 6–7 for
// 移送司法, 应急管理部令第11号's 严重失信 listing; decided penalties as the
// class input 近12个月违法行为 (signal.go); a decision revoked or changed
// (case_revise.go); the year's figures (case_figures.go), the 行政处罚台账
// (case_ledger.go) and past cases imported from it (case_import*.go).
package enforce
