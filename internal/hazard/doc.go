// Package hazard is 隐患排查治理 under 一单四制 (清单, 交办制, 台账制, 销号制,
// 通报制) with 挂牌督办: hidden hazards found, judged, assigned,
// rectified, reviewed and closed.
//
// The law it implements: 安全生产法 (2021) 第四十一条 (hazards recorded,
// major ones reported and supervised), 第一百零二条 (failing to eliminate a
// hazard), 第一百一十八条第二款 (the sectors' 重大事故隐患判定标准, whose
// verbatim items are the criteria library in package rules).
//
// This first part is the lifecycle (lifecycle.go): the states, the guarded
// transitions and what each needs. Storage, listing, bulletins and the
// overdue sweep build on it.
package hazard
