# Authorization policy for the International Center APIs (served by opa at /v1/data/envctl/authz).
# Rego v1 (OPA >= 1.0): rule bodies take `if`, partial set rules take `contains`, `in` and `every` need no import.
package envctl.authz

default allow := false

# Health and readiness endpoints are public.
public_paths := {"/health", "/ready", "/metrics"}

allow if input.path in public_paths

# Anyone may read published services and public content.
allow if {
	input.method == "GET"
	startswith(input.path, "/api/services")
}

allow if {
	input.method == "GET"
	startswith(input.path, "/api/content")
	input.resource.access_level == "public"
}

# Administrators may do anything.
allow if "admin" in input.user.roles

# Editors may change services and content, but not delete them.
allow if {
	"editor" in input.user.roles
	input.method in {"POST", "PUT", "PATCH"}
	some prefix in {"/api/services", "/api/content"}
	startswith(input.path, prefix)
}

# Restricted content needs an explicit grant for every requested scope.
allow if {
	input.resource.access_level == "restricted"
	every scope in input.request.scopes {
		scope in input.user.grants
	}
}

# Why a request was refused, for the API's error body.
reasons contains "not authenticated" if not input.user.id

reasons contains msg if {
	not allow
	input.user.id
	msg := sprintf("%s %s is not allowed for %s", [input.method, input.path, input.user.id])
}
