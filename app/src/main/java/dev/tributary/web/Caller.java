package dev.tributary.web;

import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who made a request, as {@link Access} established it before the handler ran: the roles its valid
 * credentials grant and, for a user's token, the user's id ({@code sub}).
 */
public record Caller(Set<Role> roles, Optional<String> userId) {
  static final String ATTRIBUTE = "tributary.caller";
  static final Caller ANONYMOUS = new Caller(EnumSet.noneOf(Role.class), Optional.empty());

  public Caller {
    roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
  }

  /** The caller of the request being handled (anonymous on an open route). */
  public static Caller of(Context ctx) {
    Caller c = ctx.attribute(ATTRIBUTE);
    return c == null ? ANONYMOUS : c;
  }

  public boolean is(Role role) {
    return roles.contains(role);
  }

  /** True when the caller may change data (a read-only user or anon key may not). */
  public boolean operator() {
    return roles.contains(Role.SERVICE);
  }
}
