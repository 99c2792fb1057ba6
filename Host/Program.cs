using Shop.Host;
using Shop.Shared.Hosting;
using Shop.Shared.Hosting.Management;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, ShopRoles.CommandLineSwitches);
var role = ShopRoles.Resolve(builder.Configuration);

builder.AddManagementPort();
builder.Services.AddShopHosting();
role.AddServices(builder.Services, builder.Configuration);

var app = builder.Build();
app.UseShopHosting();
role.MapEndpoints(app);
app.Logger.LogInformation("Shop host starting in role {Role}", role.Name);
app.Run();

public partial class Program;
