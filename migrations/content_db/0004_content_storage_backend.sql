-- Storage backends.
-- Forward-only. Must match migrations/CONTENT-SCHEMA.md: envctl checks it after every run.

CREATE TABLE content_storage_backend (
    backend_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    backend_name VARCHAR(50) NOT NULL UNIQUE,
    backend_type VARCHAR(20) NOT NULL CHECK (backend_type IN ('azure-blob', 'local-filesystem')),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    priority_order INTEGER NOT NULL DEFAULT 0,

    -- Configuration
    base_url VARCHAR(500),
    access_key_vault_reference VARCHAR(200), -- a vault reference, never the key itself
    configuration_json JSONB, -- backend-specific configuration

    -- Health tracking
    last_health_check TIMESTAMPTZ,
    health_status VARCHAR(20) DEFAULT 'unknown' CHECK (health_status IN ('healthy', 'degraded', 'unhealthy', 'unknown')),

    -- Audit fields
    created_on TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by VARCHAR(255),
    modified_on TIMESTAMPTZ,
    modified_by VARCHAR(255)
);

CREATE INDEX idx_storage_backend_type ON content_storage_backend(backend_type);
CREATE INDEX idx_storage_backend_active ON content_storage_backend(is_active);
CREATE INDEX idx_storage_backend_priority ON content_storage_backend(priority_order);
CREATE INDEX idx_storage_backend_health ON content_storage_backend(health_status);
