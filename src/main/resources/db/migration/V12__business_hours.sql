-- Business hours (issue 18): whether routing keeps to them, the IANA zone they are read in, the
-- weekly periods ('MONDAY 09:00-17:30' entries separated by ';') and the holidays (ISO dates
-- separated by ','), as the configuration document's businessHoursEnabled, timeZone,
-- weeklyHours and holidays. At most 50 periods (19 characters each) and 366 dates (10 each).
alter table aa_company add column business_hours_enabled boolean not null default false;
alter table aa_company add column time_zone varchar(64) not null default 'UTC';
alter table aa_company add column weekly_hours varchar(1000) not null default '';
alter table aa_company add column holidays varchar(4100) not null default '';
