-- Retention of beneficiaries' personal data (docs/security.md, "Données personnelles"): the
-- last login counts as activity, and an anonymised beneficiary is marked so that the job
-- passes it by. The partial index holds only those not anonymised yet, by registration date:
-- the job's range stays small however many are anonymised over the years.
ALTER TABLE account ADD COLUMN last_login_at BIGINT;
ALTER TABLE beneficiary ADD COLUMN anonymised_at BIGINT;
CREATE INDEX beneficiary_not_anonymised ON beneficiary(registered_at) WHERE anonymised_at IS NULL;
