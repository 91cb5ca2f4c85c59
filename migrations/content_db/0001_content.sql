-- Content metadata (the bytes live in blob storage).
-- Forward-only. Must match migrations/CONTENT-SCHEMA.md: envctl checks it after every run.

CREATE TABLE content (
    content_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    original_filename VARCHAR(255) NOT NULL,
    file_size BIGINT NOT NULL CHECK (file_size > 0),
    mime_type VARCHAR(100) NOT NULL,
    content_hash VARCHAR(64) NOT NULL, -- SHA-256 hash for integrity
    storage_path VARCHAR(500) NOT NULL, -- blob storage path
    upload_status VARCHAR(20) NOT NULL DEFAULT 'processing' CHECK (upload_status IN ('processing', 'available', 'failed', 'archived')),

    -- Content metadata
    alt_text VARCHAR(500),
    description TEXT,
    tags TEXT[],

    -- Content classification
    content_category VARCHAR(50) NOT NULL CHECK (content_category IN ('document', 'image', 'video', 'audio', 'archive')),
    access_level VARCHAR(20) NOT NULL DEFAULT 'internal' CHECK (access_level IN ('public', 'internal', 'restricted')),

    -- Upload tracking
    upload_correlation_id UUID NOT NULL,
    processing_attempts INTEGER NOT NULL DEFAULT 0,
    last_processed_at TIMESTAMPTZ,

    -- Audit fields (who and when; the events themselves go to Loki)
    created_on TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by VARCHAR(255),
    modified_on TIMESTAMPTZ,
    modified_by VARCHAR(255),

    -- Soft delete fields
    is_deleted BOOLEAN NOT NULL DEFAULT FALSE,
    deleted_on TIMESTAMPTZ,
    deleted_by VARCHAR(255)
);

CREATE INDEX idx_content_hash ON content(content_hash) WHERE is_deleted = FALSE;
CREATE INDEX idx_content_mime_type ON content(mime_type) WHERE is_deleted = FALSE;
CREATE INDEX idx_content_category ON content(content_category) WHERE is_deleted = FALSE;
CREATE INDEX idx_content_access_level ON content(access_level) WHERE is_deleted = FALSE;
CREATE INDEX idx_content_upload_status ON content(upload_status) WHERE is_deleted = FALSE;
CREATE INDEX idx_content_storage_path ON content(storage_path) WHERE is_deleted = FALSE;
CREATE INDEX idx_content_upload_correlation ON content(upload_correlation_id);
CREATE INDEX idx_content_created_on ON content(created_on) WHERE is_deleted = FALSE;
CREATE INDEX idx_content_file_size ON content(file_size) WHERE is_deleted = FALSE;
