-- A database of inbox-bot's schema at commit 886690e (made with create_all, before
-- migrations existed), with a few rows; its event keys end in the date, as that commit wrote them.
BEGIN TRANSACTION;
CREATE TABLE attendee (
	id INTEGER NOT NULL, 
	event VARCHAR NOT NULL, 
	email VARCHAR NOT NULL, 
	name VARCHAR, 
	party VARCHAR, 
	role VARCHAR, 
	on_behalf_of VARCHAR, 
	notes VARCHAR, 
	language VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	source_message_id INTEGER, 
	PRIMARY KEY (id), 
	UNIQUE (event, email), 
	FOREIGN KEY(source_message_id) REFERENCES inboundmessage (id)
);
INSERT INTO "attendee" VALUES(1,'masterclass-kinderrechten-2026-12-15','a.jansen@tweedekamer.nl','Anna Jansen','CDA',NULL,NULL,NULL,'nl','registered','2026-11-02 09:30:00.000000','2026-11-02 09:30:00.000000',1);
INSERT INTO "attendee" VALUES(2,'masterclass-kinderrechten-2026-12-15','c.bakker@tweedekamer.nl','Cor Bakker',NULL,NULL,NULL,NULL,'nl','waitlisted','2026-11-02 09:30:00.000000','2026-11-02 09:30:00.000000',3);
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
	PRIMARY KEY (id), 
	UNIQUE (folder, uidvalidity, uid), 
	UNIQUE (sha256)
);
INSERT INTO "inboundmessage" VALUES(1,'INBOX',1700000000,1,'<first-1@tweedekamer.nl>','0000000000000000000000000000000000000000000000000000000000000001','2026-11-02 09:30:00.000000','a.jansen@tweedekamer.nl','Aanmelding masterclass','nl','registration',0,0.9,'["test"]','processed',NULL,X'46726F6D3A20780D0A0D0A68616C6C6F0D0A');
INSERT INTO "inboundmessage" VALUES(2,'INBOX',1700000000,2,'<first-2@tweedekamer.nl>','0000000000000000000000000000000000000000000000000000000000000002','2026-11-02 09:30:00.000000','b.devries@tweedekamer.nl','Aanmelding masterclass','nl','question',1,0.9,'["test"]','processed',NULL,X'46726F6D3A20780D0A0D0A68616C6C6F0D0A');
INSERT INTO "inboundmessage" VALUES(3,'INBOX',1700000000,3,'<first-3@tweedekamer.nl>','0000000000000000000000000000000000000000000000000000000000000003','2026-11-02 09:30:00.000000','c.bakker@tweedekamer.nl','Aanmelding masterclass','nl','registration',0,0.9,'["test"]','processed',NULL,X'46726F6D3A20780D0A0D0A68616C6C6F0D0A');
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
	PRIMARY KEY (id), 
	UNIQUE (dedupe_key), 
	UNIQUE (message_id), 
	FOREIGN KEY(source_message_id) REFERENCES inboundmessage (id)
);
INSERT INTO "outboundmail" VALUES(1,'registration_confirmed','confirm-1','a.jansen@tweedekamer.nl','<inbox-bot.first1@kinderrechten.nl>','<first-1@tweedekamer.nl>',X'5375626A6563743A204265766573746967696E670D0A0D0A552062656E7420696E6765736368726576656E2E0D0A','sent',1,'2026-11-02 09:30:00.000000',NULL,'2026-11-02 09:30:00.000000','2026-11-02 09:30:00.000000',1);
CREATE TABLE question (
	id INTEGER NOT NULL, 
	source_message_id INTEGER NOT NULL, 
	sender VARCHAR NOT NULL, 
	subject VARCHAR, 
	text VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	assignee VARCHAR, 
	answer VARCHAR, 
	created_at DATETIME NOT NULL, 
	answered_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (source_message_id), 
	FOREIGN KEY(source_message_id) REFERENCES inboundmessage (id)
);
INSERT INTO "question" VALUES(1,2,'b.devries@tweedekamer.nl','Vraag','Is er parkeergelegenheid?','open',NULL,NULL,'2026-11-02 09:30:00.000000',NULL);
CREATE INDEX ix_inboundmessage_message_id ON inboundmessage (message_id);
CREATE INDEX ix_inboundmessage_status ON inboundmessage (status);
CREATE INDEX ix_attendee_status ON attendee (status);
CREATE INDEX ix_question_status ON question (status);
CREATE INDEX ix_outboundmail_status ON outboundmail (status);
COMMIT;
