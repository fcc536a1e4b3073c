package org

import (
	"context"
	"slices"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/auth/access"
	"anwei/internal/auth/passwd"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// UserFilter narrows a user listing.
type UserFilter struct {
	UnitID int64
	Role   Role
	Q      string      // username, name or unit contains
	Active string      // "" all, "1" active, "0" disabled
	Sort   paging.Sort // a key of UserOrders; in id order when none
	paging.Page
}

// UserOrders are the user list's sort keys (?sort=, issue 16.4): each names
// the SQL it orders by; nothing a request says reaches the SQL.
var UserOrders = paging.Orders{
	"username": "us.username",
	"name":     "us.display_name",
	"unit":     "u.name",
	"active":   "us.active",
	"created":  "us.created_at",
}

const userCols = `us.id, us.username, us.display_name, us.unit_id, u.name, us.phone, us.roles, us.active,
	us.created_at, us.updated_at`

const userFrom = " FROM users us JOIN units u ON u.id = us.unit_id"

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var us User
	var roles string
	err := row.Scan(&us.ID, &us.Username, &us.DisplayName, &us.UnitID, &us.UnitName, &us.Phone, &roles, &us.Active,
		&us.CreatedAt, &us.UpdatedAt)
	us.Roles = ParseRoles(roles)
	return us, err
}

// ListUsers lists the users of units the actor may see.
func (s *Service) ListUsers(ctx context.Context, a *Actor, f UserFilter) ([]User, int, error) {
	if err := a.Require(PermOrgRead); err != nil {
		return nil, 0, err
	}
	order, err := UserOrders.By(f.Sort, "us.id", "us.id")
	if err != nil {
		return nil, 0, apperr.Field("sort", err.Error())
	}
	where, args := a.Scope.UnitsWhere("u.region_code", "u.id")
	if f.UnitID != 0 {
		where += " AND us.unit_id = ?"
		args = append(args, f.UnitID)
	}
	if f.Role != "" {
		// roles is a comma-separated list of fixed names
		where += " AND (',' || us.roles || ',') LIKE ?"
		args = append(args, "%,"+string(f.Role)+",%")
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where += " AND (us.username LIKE ? OR us.display_name LIKE ? OR u.name LIKE ?)"
		like := "%" + q + "%"
		args = append(args, like, like, like)
	}
	switch f.Active {
	case "1":
		where += " AND us.active = TRUE"
	case "0":
		where += " AND us.active = FALSE"
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*)"+userFrom+" WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+userCols+userFrom+" WHERE "+where+" ORDER BY "+order+" LIMIT ? OFFSET ?",
		append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanUser)
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.fillLocks(ctx, out)
}

// GetUser returns one user if the actor may see the user's unit.
func (s *Service) GetUser(ctx context.Context, a *Actor, userID int64) (User, error) {
	if err := a.Require(PermOrgRead); err != nil {
		return User{}, err
	}
	where, args := a.Scope.UnitsWhere("u.region_code", "u.id")
	us, err := scanUser(s.db.QueryRow(ctx, "SELECT "+userCols+userFrom+" WHERE us.id = ? AND "+where,
		append([]any{userID}, args...)...))
	if store.NoRows(err) {
		return User{}, apperr.New(apperr.NotFound, "用户不存在或不在您的管辖范围内")
	}
	if err != nil {
		return User{}, err
	}
	one := []User{us}
	err = s.fillLocks(ctx, one)
	return one[0], err
}

// checkUserInput validates in and its unit; roles must suit the unit.
func (s *Service) checkUserInput(ctx context.Context, a *Actor, in *UserInput, create bool) (Unit, error) {
	in.Normalize()
	c := in.checks()
	if create {
		if msg := passwd.Validate(in.Password); msg != "" {
			c.Add("password", msg)
		}
	}
	if err := c.Err(); err != nil {
		return Unit{}, err
	}
	u, err := s.GetUnit(ctx, a, in.UnitID)
	if err != nil {
		return Unit{}, apperr.Field("unit_id", "所属单位不存在或不在您的管辖范围内")
	}
	for _, r := range in.Roles {
		if !RoleFitsUnit(r, u.Kind) {
			return Unit{}, apperr.Field("roles", "「"+u.Kind.Name()+"」类单位的用户不能担任「"+r.Name()+"」角色")
		}
		if r == RoleAdmin && !a.Has(RoleAdmin) {
			return Unit{}, apperr.Field("roles", "只有系统管理员可以授予系统管理员角色")
		}
	}
	return u, nil
}

// CreateUser creates a user with an initial password.
func (s *Service) CreateUser(ctx context.Context, a *Actor, in UserInput) (User, error) {
	if err := a.Require(PermUserWrite); err != nil {
		return User{}, err
	}
	u, err := s.checkUserInput(ctx, a, &in, true)
	if err != nil {
		return User{}, err
	}
	hash, err := passwd.Hash(in.Password)
	if err != nil {
		return User{}, err
	}
	now := s.clock.Now()
	us := User{Username: in.Username, DisplayName: in.DisplayName, UnitID: u.ID, UnitName: u.Name, Phone: in.Phone,
		Roles: in.Roles, Active: true, CreatedAt: now, UpdatedAt: now}
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		us.ID, err = tx.InsertID(ctx, `INSERT INTO users (username, display_name, unit_id, phone, roles, active, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, TRUE, ?, ?, ?)`, us.Username, us.DisplayName, us.UnitID, us.Phone, JoinRoles(us.Roles), hash, now, now)
		if store.IsUniqueViolation(err) {
			return apperr.Field("username", "用户名「"+us.Username+"」已被使用")
		}
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "user.create", ObjectKind: "user", ObjectID: id(us.ID), Region: u.RegionCode, After: us})
	})
	return us, err
}

// UpdateUser changes a user's name, unit, phone and roles (not the username
// or password).
func (s *Service) UpdateUser(ctx context.Context, a *Actor, userID int64, in UserInput) (User, error) {
	if err := a.Require(PermUserWrite); err != nil {
		return User{}, err
	}
	before, err := s.GetUser(ctx, a, userID)
	if err != nil {
		return User{}, err
	}
	in.Username = before.Username
	u, err := s.checkUserInput(ctx, a, &in, false)
	if err != nil {
		return User{}, err
	}
	if userID == a.UserID && a.Has(RoleAdmin) && !slices.Contains(in.Roles, RoleAdmin) {
		return User{}, apperr.Field("roles", "不能取消自己的系统管理员角色")
	}
	after := before
	after.DisplayName, after.UnitID, after.UnitName, after.Phone, after.Roles = in.DisplayName, u.ID, u.Name, in.Phone, in.Roles
	after.UpdatedAt = s.clock.Now()
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE users SET display_name = ?, unit_id = ?, phone = ?, roles = ?, updated_at = ? WHERE id = ?",
			after.DisplayName, after.UnitID, after.Phone, JoinRoles(after.Roles), after.UpdatedAt, userID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "user.update", ObjectKind: "user", ObjectID: id(userID), Region: u.RegionCode,
			Before: before, After: after})
	})
	return after, err
}

// SetUserActive disables or re-enables a user. Either ends the user's
// sessions and revokes the user's API tokens in the same transaction, so
// that re-enabling revives none of them.
func (s *Service) SetUserActive(ctx context.Context, a *Actor, userID int64, active bool) error {
	if err := a.Require(PermUserWrite); err != nil {
		return err
	}
	us, err := s.GetUser(ctx, a, userID)
	if err != nil {
		return err
	}
	if !active && userID == a.UserID {
		return apperr.New(apperr.Conflict, "不能停用自己的账号")
	}
	if us.Active == active {
		return nil
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE users SET active = ?, updated_at = ? WHERE id = ?", active, now, userID); err != nil {
			return err
		}
		after, err := endAccess(ctx, tx, userID, now)
		if err != nil {
			return err
		}
		after["active"] = active
		action := "user.disable"
		if active {
			action = "user.enable"
		}
		return s.record(ctx, tx, a, audit.Entry{Action: action, ObjectKind: "user", ObjectID: id(userID),
			Before: map[string]any{"active": us.Active}, After: after})
	})
}

// SetPassword sets a user's password (an administrator's reset, or the
// ANWEI_ADMIN_PASSWORD at start), lifts any lock, ends the user's sessions,
// revokes the user's API tokens and removes the user's second factor (the
// way back in for one who lost it), all in one transaction.
func (s *Service) SetPassword(ctx context.Context, a *Actor, userID int64, pw string) error {
	if err := a.Require(PermUserWrite); err != nil {
		return err
	}
	us, err := s.GetUser(ctx, a, userID)
	if err != nil {
		return err
	}
	if msg := passwd.Validate(pw); msg != "" {
		return apperr.Field("password", msg)
	}
	hash, err := passwd.Hash(pw)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, now, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM login_failures WHERE username = ?", us.Username); err != nil {
			return err
		}
		after, err := endAccess(ctx, tx, userID, now)
		if err != nil {
			return err
		}
		after["password_hash"] = hash
		if after["factor_removed"], err = access.EndFactor(ctx, tx, userID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "user.set_password", ObjectKind: "user", ObjectID: id(userID), After: after})
	})
}

// endAccess ends every session of the user and revokes every API token of
// the user, in tx, and returns how many for the audit event.
//
// The sessions and api_tokens tables are auth's, but changing a user's
// credentials must end them whoever changes them — the web, ensureAdmin at
// start, or `anwei user passwd`, which builds only this service — so they
// end here, in the change's own transaction, through auth/access, rather
// than through a hook that one caller could forget to wire.
func endAccess(ctx context.Context, tx *store.Tx, userID int64, now time.Time) (map[string]any, error) {
	sessions, tokens, err := access.End(ctx, tx, userID, now)
	if err != nil {
		return nil, err
	}
	return map[string]any{"sessions_ended": sessions, "tokens_revoked": tokens}, nil
}

// UserIDByName finds a user's id by username, whatever the actor (for the
// command line and login).
func (s *Service) UserIDByName(ctx context.Context, username string) (int64, error) {
	var uid int64
	err := s.db.QueryRow(ctx, "SELECT id FROM users WHERE username = ?", strings.ToLower(strings.TrimSpace(username))).Scan(&uid)
	if store.NoRows(err) {
		return 0, apperr.New(apperr.NotFound, "用户「"+username+"」不存在")
	}
	return uid, err
}
