-- Virus scans of content.
-- Forward-only. Must match migrations/CONTENT-SCHEMA.md: envctl checks it after every run.

CREATE TABLE content_virus_scan (
    scan_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    content_id UUID NOT NULL REFERENCES content(content_id),
    scan_timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    scanner_engine VARCHAR(50) NOT NULL,
    scanner_version VARCHAR(50) NOT NULL,
    scan_status VARCHAR(20) NOT NULL CHECK (scan_status IN ('clean', 'infected', 'suspicious', 'error')),
    threats_detected TEXT[],
    scan_duration_ms INTEGER,

    -- Audit fields
    created_on TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    correlation_id UUID
);

CREATE INDEX idx_virus_scan_content_id ON content_virus_scan(content_id);
CREATE INDEX idx_virus_scan_timestamp ON content_virus_scan(scan_timestamp);
CREATE INDEX idx_virus_scan_status ON content_virus_scan(scan_status);
CREATE INDEX idx_virus_scan_correlation ON content_virus_scan(correlation_id);
