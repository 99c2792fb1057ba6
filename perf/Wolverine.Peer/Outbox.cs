using Npgsql;
using Wolverine;
using Wolverine.RDBMS;
using Wolverine.Runtime;

namespace Shop.Wolverine.Peer;

/// <summary>Wolverine's outbox around a plain Npgsql transaction: messages published in the context are stored in it and sent after commit.</summary>
internal static class Outbox
{
    public static Task EnlistAsync(IMessageContext context, IWolverineRuntime runtime, NpgsqlTransaction transaction) =>
        ((MessageContext)context).EnlistInOutboxAsync(new DatabaseEnvelopeTransaction((IMessageDatabase)runtime.Storage, transaction));
}
