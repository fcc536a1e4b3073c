// Package risk is 风险分级管控, the first half of the 双重预防机制: each
// enterprise's risk points (场所、设备设施、作业活动) with their hazard
// factors, possible accident types (GB 6441-1986《企业职工伤亡事故分类》),
// control measures and control level, graded into four levels shown in
// four colours — 重大/较大/一般/低, 红/橙/黄/蓝 (国务院安委办
// 安委办〔2016〕11号《关于实施遏制重特大事故工作指南构建双重预防机制的意见》).
//
// The numeric cut-offs are not national: each jurisdiction chooses LEC
// (D = L×E×C) or the LS matrix (R = L×S, variant A or B), and may set its
// own LEC cut-offs (scheme.go); the tables and default bands are in package
// rules with their citations. Every (re-)assessment is kept. The 风险告知卡
// (card.go) is the printable card posted at the risk point
// (安全生产法 (2021) 第四十一条: 风险分级管控, 第四十四条: 如实告知从业人员).
package risk
