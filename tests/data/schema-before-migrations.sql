-- A database of inbox-bot's schema at commit 4d1cd92 (made with create_all, before
-- migrations existed), with a few rows. tests/test_migrations.py upgrades it.
BEGIN TRANSACTION;
CREATE TABLE alert (
	id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	message VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	resolved_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE TABLE attendee (
	id INTEGER NOT NULL, 
	event VARCHAR NOT NULL, 
	email VARCHAR, 
	name VARCHAR, 
	party VARCHAR, 
	role VARCHAR, 
	on_behalf_of VARCHAR, 
	notes VARCHAR, 
	undeliverable BOOLEAN NOT NULL, 
	ics_sequence INTEGER NOT NULL, 
	language VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	source_message_id INTEGER, 
	PRIMARY KEY (id), 
	UNIQUE (event, email), 
	FOREIGN KEY(source_message_id) REFERENCES inboundmessage (id)
);
INSERT INTO "attendee" VALUES(1,'masterclass-kinderrechten','a.jansen@tweedekamer.nl','Anna Jansen','CDA',NULL,NULL,NULL,0,0,'nl','registered','2026-11-02 09:30:00.000000','2026-11-02 09:30:00.000000',1);
INSERT INTO "attendee" VALUES(2,'masterclass-kinderrechten','c.bakker@tweedekamer.nl','Cor Bakker',NULL,NULL,NULL,NULL,0,0,'nl','waitlisted','2026-11-02 09:30:00.000000','2026-11-02 09:30:00.000000',3);
CREATE TABLE auditentry (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	user VARCHAR NOT NULL, 
	action VARCHAR NOT NULL, 
	target VARCHAR NOT NULL, 
	detail VARCHAR, 
	PRIMARY KEY (id)
);
CREATE TABLE eventstate (
	id INTEGER NOT NULL, 
	"key" VARCHAR NOT NULL, 
	sequence INTEGER NOT NULL, 
	fingerprint VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE ("key")
);
CREATE TABLE inboundmessage (
	id INTEGER NOT NULL, 
	folder VARCHAR NOT NULL, 
	uidvalidity INTEGER NOT NULL, 
	uid INTEGER NOT NULL, 
	message_id VARCHAR, 
	sha256 VARCHAR NOT NULL, 
	received_at DATETIME NOT NULL, 
	sender VARCHAR, 
	subject VARCHAR, 
	language VARCHAR, 
	kind VARCHAR, 
	has_question BOOLEAN NOT NULL, 
	confidence FLOAT, 
	reasons JSON NOT NULL, 
	status VARCHAR NOT NULL, 
	error VARCHAR, 
	raw BLOB, 
	raw_complete BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (folder, uidvalidity, uid), 
	UNIQUE (sha256)
);
INSERT INTO "inboundmessage" VALUES(1,'INBOX',1700000000,1,'<first-1@tweedekamer.nl>','0000000000000000000000000000000000000000000000000000000000000001','2026-11-02 09:30:00.000000','a.jansen@tweedekamer.nl','Aanmelding masterclass','nl','registration',0,0.9,'["test"]','processed',NULL,X'46726F6D3A20780D0A0D0A68616C6C6F0D0A',1);
INSERT INTO "inboundmessage" VALUES(2,'INBOX',1700000000,2,'<first-2@tweedekamer.nl>','0000000000000000000000000000000000000000000000000000000000000002','2026-11-02 09:30:00.000000','b.devries@tweedekamer.nl','Aanmelding masterclass','nl','question',1,0.9,'["test"]','processed',NULL,X'46726F6D3A20780D0A0D0A68616C6C6F0D0A',1);
INSERT INTO "inboundmessage" VALUES(3,'INBOX',1700000000,3,'<first-3@tweedekamer.nl>','0000000000000000000000000000000000000000000000000000000000000003','2026-11-02 09:30:00.000000','c.bakker@tweedekamer.nl','Aanmelding masterclass','nl','registration',0,0.9,'["test"]','processed',NULL,X'46726F6D3A20780D0A0D0A68616C6C6F0D0A',1);
CREATE TABLE loginattempt (
	id INTEGER NOT NULL, 
	username VARCHAR NOT NULL, 
	address VARCHAR NOT NULL, 
	succeeded BOOLEAN NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE mailboxstate (
	id INTEGER NOT NULL, 
	folder VARCHAR NOT NULL, 
	uidvalidity INTEGER NOT NULL, 
	highest_uid INTEGER NOT NULL, 
	last_poll_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (folder)
);
INSERT INTO "mailboxstate" VALUES(1,'INBOX',1700000000,3,'2026-11-02 09:30:00.000000');
CREATE TABLE outboundmail (
	id INTEGER NOT NULL, 
	purpose VARCHAR NOT NULL, 
	dedupe_key VARCHAR NOT NULL, 
	recipient VARCHAR NOT NULL, 
	message_id VARCHAR NOT NULL, 
	in_reply_to VARCHAR, 
	raw BLOB NOT NULL, 
	status VARCHAR NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	last_error VARCHAR, 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	source_message_id INTEGER, 
	attendee_id INTEGER, 
	automatic BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (dedupe_key), 
	UNIQUE (message_id), 
	FOREIGN KEY(source_message_id) REFERENCES inboundmessage (id), 
	FOREIGN KEY(attendee_id) REFERENCES attendee (id)
);
INSERT INTO "outboundmail" VALUES(1,'registration_confirmed','confirm-1','a.jansen@tweedekamer.nl','<inbox-bot.first1@kinderrechten.nl>','<first-1@tweedekamer.nl>',X'5375626A6563743A204265766573746967696E670D0A0D0A552062656E7420696E6765736368726576656E2E0D0A','sent',1,'2026-11-02 09:30:00.000000',NULL,'2026-11-02 09:30:00.000000','2026-11-02 09:30:00.000000',1,NULL,1);
CREATE TABLE question (
	id INTEGER NOT NULL, 
	source_message_id INTEGER NOT NULL, 
	sender VARCHAR NOT NULL, 
	subject VARCHAR, 
	text VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	assignee VARCHAR, 
	answer VARCHAR, 
	answered_by VARCHAR, 
	created_at DATETIME NOT NULL, 
	answered_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (source_message_id), 
	FOREIGN KEY(source_message_id) REFERENCES inboundmessage (id)
);
INSERT INTO "question" VALUES(1,2,'b.devries@tweedekamer.nl','Vraag','Is er parkeergelegenheid?','open',NULL,NULL,NULL,'2026-11-02 09:30:00.000000',NULL);
CREATE TABLE staffsession (
	id INTEGER NOT NULL, 
	token_hash VARCHAR NOT NULL, 
	user_id INTEGER NOT NULL, 
	csrf_token VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_seen_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (token_hash), 
	FOREIGN KEY(user_id) REFERENCES staffuser (id)
);
CREATE TABLE staffuser (
	id INTEGER NOT NULL, 
	username VARCHAR NOT NULL, 
	password_hash VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	active BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (username)
);
CREATE INDEX ix_alert_kind ON alert (kind);
CREATE INDEX ix_inboundmessage_status ON inboundmessage (status);
CREATE INDEX ix_inboundmessage_message_id ON inboundmessage (message_id);
CREATE INDEX ix_loginattempt_address ON loginattempt (address);
CREATE INDEX ix_loginattempt_at ON loginattempt (at);
CREATE INDEX ix_loginattempt_username ON loginattempt (username);
CREATE INDEX ix_attendee_status ON attendee (status);
CREATE INDEX ix_attendee_seats ON attendee (event, status);
CREATE INDEX ix_question_status ON question (status);
CREATE INDEX ix_outboundmail_status ON outboundmail (status);
CREATE INDEX ix_outbound_due ON outboundmail (status, next_attempt_at);
CREATE INDEX ix_outbound_recent ON outboundmail (created_at, automatic);
CREATE INDEX ix_outbound_limits ON outboundmail (recipient, created_at, automatic);
COMMIT;
