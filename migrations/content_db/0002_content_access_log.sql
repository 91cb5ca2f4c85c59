-- Content access log.
-- Forward-only. Must match migrations/CONTENT-SCHEMA.md: envctl checks it after every run.

CREATE TABLE content_access_log (
    access_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    content_id UUID NOT NULL REFERENCES content(content_id),
    access_timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    user_id VARCHAR(255),
    client_ip INET,
    user_agent TEXT,
    access_type VARCHAR(20) NOT NULL CHECK (access_type IN ('view', 'download', 'preview')),
    http_status_code INTEGER,
    bytes_served BIGINT,
    response_time_ms INTEGER,

    -- Request context
    correlation_id UUID,
    referer_url TEXT,

    -- Performance tracking
    cache_hit BOOLEAN DEFAULT FALSE,
    storage_backend VARCHAR(50) DEFAULT 'azure-blob'
);

CREATE INDEX idx_access_log_content_id ON content_access_log(content_id);
CREATE INDEX idx_access_log_timestamp ON content_access_log(access_timestamp);
CREATE INDEX idx_access_log_user_id ON content_access_log(user_id);
CREATE INDEX idx_access_log_client_ip ON content_access_log(client_ip);
CREATE INDEX idx_access_log_access_type ON content_access_log(access_type);
CREATE INDEX idx_access_log_correlation ON content_access_log(correlation_id);
CREATE INDEX idx_access_log_cache_performance ON content_access_log(cache_hit, response_time_ms);
