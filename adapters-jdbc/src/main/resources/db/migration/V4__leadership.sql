-- What a site remembers about leading peer groups under a witness (docs/adr/0027), in its own
-- database beside its other stores: the newest leader epoch seen per group (only ever raised), and
-- the groups it fenced with the members it unmanaged, in their order.
CREATE TABLE geored_leader_epoch (
  group_name VARCHAR(255) NOT NULL,
  epoch BIGINT NOT NULL,
  CONSTRAINT pk_geored_leader_epoch PRIMARY KEY (group_name)
);

CREATE TABLE geored_fenced_group (
  group_name VARCHAR(255) NOT NULL,
  epoch BIGINT NOT NULL,
  CONSTRAINT pk_geored_fenced_group PRIMARY KEY (group_name)
);

CREATE TABLE geored_fenced_member (
  group_name VARCHAR(255) NOT NULL,
  member_index INTEGER NOT NULL,
  member_name VARCHAR(255) NOT NULL,
  CONSTRAINT pk_geored_fenced_member PRIMARY KEY (group_name, member_index),
  CONSTRAINT fk_geored_fenced_member_group FOREIGN KEY (group_name)
    REFERENCES geored_fenced_group (group_name) ON DELETE CASCADE
);
