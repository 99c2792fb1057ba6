using Npgsql;

namespace Shop.Modules.Orders.Infrastructure;

/// <summary>The orders database; connections are opened per operation from its pool.</summary>
internal sealed record OrdersDb(NpgsqlDataSource DataSource);
