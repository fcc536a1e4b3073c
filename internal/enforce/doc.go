// Package enforce is 执法: the enforcing departments' annual inspection
// plans (安全生产法 Art. 62, 安监总政法〔2017〕150号), 双随机一公开 draws
// (国办发〔2015〕58号, 国发〔2019〕5号), inspections, writs and penalties
// (行政处罚法, 安全生产违法行为行政处罚办法). REGULATIONS.md §7 and §14.
//
// Service (service.go) is the use cases over the tables this package owns
// (enforce_*): plans (plan.go), the officers and their declared conflicts
// (officers.go), draws (draws.go) and the inspections planned or recorded
// against an enterprise, which the caps count (inspections.go).
package enforce
