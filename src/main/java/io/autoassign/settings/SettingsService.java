package io.autoassign.settings;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.platform.TransactionScoped;
import io.autoassign.platform.Transactions;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * Reads and writes companies' auto-assign configuration.
 */
@Service
public class SettingsService {

	private final SettingsRepository repository;

	private final CompanyLocks locks;

	private final Transactions transactions;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	SettingsService(SettingsRepository repository, CompanyLocks locks, Transactions transactions,
			ApplicationEventPublisher events, Clock clock) {
		this.repository = repository;
		this.locks = locks;
		this.transactions = transactions;
		this.events = events;
		this.clock = clock;
	}

	/** The company's configuration, or the defaults while it has none. */
	public AutoAssignConfig get(String companyId) {
		return this.repository.find(companyId).orElse(AutoAssignConfig.DEFAULTS);
	}

	/**
	 * The configuration that routing decisions of the current transaction use: loaded under the
	 * company's shared lock, so no configuration change can interleave with them.
	 */
	public AutoAssignConfig forRouting(String companyId) {
		return findForRouting(companyId).orElse(AutoAssignConfig.DEFAULTS);
	}

	/**
	 * Like {@link #forRouting}, empty for an unknown company. Read once per transaction: the
	 * shared lock keeps it from changing until the transaction ends.
	 */
	public Optional<AutoAssignConfig> findForRouting(String companyId) {
		this.locks.shared(companyId);
		Map<String, Optional<AutoAssignConfig>> read = TransactionScoped.get(ReadUnderLock.class,
				ReadUnderLock::new).configs;
		Optional<AutoAssignConfig> config = read.get(companyId);
		if (config == null) {
			config = this.repository.find(companyId);
			read.put(companyId, config);
		}
		return config;
	}

	/** The configurations this transaction read under the company lock (or wrote). */
	private static final class ReadUnderLock implements TransactionSynchronization {

		final Map<String, Optional<AutoAssignConfig>> configs = new HashMap<>();

	}

	/** The configuration of an existing company; empty for an unknown company. */
	public Optional<AutoAssignConfig> find(String companyId) {
		return this.repository.find(companyId);
	}

	public boolean exists(String companyId) {
		return this.repository.exists(companyId);
	}

	public List<String> companyIds() {
		return this.repository.companyIds();
	}

	/** Creates the company with the default configuration unless it exists (current transaction). */
	public void ensureCompany(String companyId) {
		if (!this.repository.exists(companyId)) {
			this.repository.insert(companyId, AutoAssignConfig.DEFAULTS, this.clock.instant());
			ReadUnderLock read = TransactionScoped.find(ReadUnderLock.class);
			if (read != null) {
				read.configs.remove(companyId);
			}
			this.events.publishEvent(
					new ConfigChanged(companyId, AutoAssignConfig.DEFAULTS, AutoAssignConfig.DEFAULTS, true));
		}
	}

	/** PUT: the document replaces the configuration; omitted fields take their defaults. */
	public AutoAssignConfig replace(String companyId, JsonNode document) {
		return write(companyId, (current) -> ConfigDocument.apply(document, AutoAssignConfig.DEFAULTS));
	}

	/** PATCH: the document is merged; omitted fields keep their current values. */
	public AutoAssignConfig patch(String companyId, JsonNode document) {
		return write(companyId, (current) -> ConfigDocument.apply(document, current));
	}

	/**
	 * Merges the document into the configuration within the current transaction, exactly as
	 * PATCH does (the settings process's step runs inside the engine's transaction).
	 * @throws io.autoassign.domain.InvalidInputException with one entry per bad field
	 */
	public AutoAssignConfig patchInCurrentTransaction(String companyId, JsonNode document) {
		return writeInTransaction(companyId, (current) -> ConfigDocument.apply(document, current));
	}

	/** The names of the configuration document's fields. */
	public static java.util.Set<String> fieldNames() {
		return ConfigDocument.fieldNames();
	}

	private AutoAssignConfig write(String companyId, UnaryOperator<AutoAssignConfig> change) {
		return this.transactions.retrying(() -> writeInTransaction(companyId, change));
	}

	private AutoAssignConfig writeInTransaction(String companyId, UnaryOperator<AutoAssignConfig> change) {
		this.locks.exclusive(companyId);
		AutoAssignConfig before = this.repository.findForUpdate(companyId).orElse(null);
		AutoAssignConfig after = change.apply(before == null ? AutoAssignConfig.DEFAULTS : before);
		if (before == null) {
			this.repository.insert(companyId, after, this.clock.instant());
		}
		else {
			this.repository.update(companyId, after, this.clock.instant());
		}
		TransactionScoped.get(ReadUnderLock.class, ReadUnderLock::new).configs.put(companyId, Optional.of(after));
		this.events.publishEvent(new ConfigChanged(companyId, before == null ? AutoAssignConfig.DEFAULTS : before,
				after, before == null));
		return after;
	}

}
