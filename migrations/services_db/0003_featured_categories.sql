-- Featured categories, with the rule: the default-unassigned category is never featured.
-- Forward-only. Must match migrations/SERVICES-SCHEMA.md: envctl checks it after every run.

CREATE TABLE featured_categories (
    featured_category_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    category_id UUID NOT NULL REFERENCES service_categories(category_id),
    feature_position INTEGER NOT NULL CHECK (feature_position IN (1, 2)),

    -- Audit fields
    created_on TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by VARCHAR(255),
    modified_on TIMESTAMPTZ,
    modified_by VARCHAR(255),

    UNIQUE(feature_position)
);

CREATE INDEX idx_featured_categories_category_id ON featured_categories(category_id);
CREATE INDEX idx_featured_categories_position ON featured_categories(feature_position);

CREATE FUNCTION featured_category_is_not_default() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    category_is_default BOOLEAN;
BEGIN
    SELECT is_default_unassigned INTO category_is_default
      FROM service_categories
     WHERE category_id = NEW.category_id
       FOR SHARE;
    IF category_is_default THEN
        RAISE EXCEPTION 'category % is the default unassigned category and cannot be featured', NEW.category_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'no_default_unassigned_featured';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER featured_categories_not_default
    BEFORE INSERT OR UPDATE OF category_id ON featured_categories
    FOR EACH ROW EXECUTE FUNCTION featured_category_is_not_default();

CREATE FUNCTION default_category_is_not_featured() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.is_default_unassigned AND EXISTS (
        SELECT 1 FROM featured_categories WHERE category_id = NEW.category_id
    ) THEN
        RAISE EXCEPTION 'category % is featured and cannot become the default unassigned category', NEW.category_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'no_default_unassigned_featured';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER service_categories_default_not_featured
    BEFORE UPDATE OF is_default_unassigned ON service_categories
    FOR EACH ROW EXECUTE FUNCTION default_category_is_not_featured();
