using Npgsql;
using Shop.Check;

// Reads both databases and checks that money is conserved and every order settled exactly once.
// Exit code: 0 every invariant holds, 1 one failed, 2 bad arguments or a database that does not answer.
var options = CheckOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(CheckOptions.Usage);
    return 2;
}

try
{
    var report = await new InvariantChecker(options).CheckAsync(CancellationToken.None);
    report.WriteTo(Console.Out);
    return report.Passed ? 0 : 1;
}
catch (NpgsqlException ex)
{
    Console.Error.WriteLine($"cannot read the databases: {ex.Message}");
    return 2;
}
