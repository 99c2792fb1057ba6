using Npgsql;

namespace Shop.Modules.Payments.Infrastructure;

/// <summary>The payments database; connections are opened per operation from its pool.</summary>
internal sealed record PaymentsDb(NpgsqlDataSource DataSource);
