-- The witness (docs/adr/0027): per peer group the latest tenure of its lease (never deleted, so
-- epochs only grow), each site's liveness, and the candidates registered per group. Expiry is
-- judged only against the database's CURRENT_TIMESTAMP, inside the deciding statement.
CREATE TABLE geored_witness_lease (
  group_name VARCHAR(255) NOT NULL,
  holder VARCHAR(255) NOT NULL,
  epoch BIGINT NOT NULL,
  expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  released BOOLEAN NOT NULL,
  CONSTRAINT pk_geored_witness_lease PRIMARY KEY (group_name)
);

CREATE TABLE geored_witness_site (
  site VARCHAR(255) NOT NULL,
  expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  CONSTRAINT pk_geored_witness_site PRIMARY KEY (site)
);

CREATE TABLE geored_witness_candidate (
  group_name VARCHAR(255) NOT NULL,
  site VARCHAR(255) NOT NULL,
  priority INTEGER NOT NULL,
  CONSTRAINT pk_geored_witness_candidate PRIMARY KEY (group_name, site)
);
