using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Mindspace.Gateway.Apis;
using Mindspace.Gateway.Attention;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Community;
using Mindspace.Gateway.Notifications;
using Mindspace.Gateway.Privacy;
using Mindspace.Gateway.Shop;
using Mindspace.Gateway.Therapist;
using Mindspace.Silo;
using Orleans.Dashboard;

namespace Mindspace.Gateway.Hosting;

/// <summary>
/// Builds the gateway: the HTTP pipeline (problem details, security headers, CORS, rate limits,
/// auth, OpenAPI) in front of an in-process silo. Program.cs and the tests both start it through here.
/// </summary>
public static class MindspaceGateway
{
    public const string CorsPolicy = "configured-origins";

    /// <summary>Where the Swagger UI serves the API docs (<c>/docs</c>).</summary>
    private const string DocsRoutePrefix = "docs";

    /// <summary>Where the Orleans dashboard is served when <c>DASHBOARD_ENABLED=true</c> (admins only).</summary>
    public const string DashboardPath = "/dashboard";

    /// <param name="configure">Lets tests add configuration before the services read it.</param>
    /// <param name="configureSilo">Lets tests and benchmarks add to the in-process silo.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<ISiloBuilder>? configureSilo = null)
    {
        var builder = WebApplication.CreateBuilder(ProcessHosting.HostArguments(args));
        ProcessHosting.UseMindspaceLogging(builder);
        configure?.Invoke(builder);
        var settings = GatewaySettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);

        var observability = ObservabilitySettings.From(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            HttpEndpoints.Configure(kestrel, ProcessHosting.HttpUrls(builder.Configuration, settings.Host, settings.Port), observability);
        });

        builder.AddMindspaceOrleans(settings.SiloRole, configureSilo);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddMindspaceRateLimiting(settings);
        builder.Services.AddCors(options => options.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins([.. settings.CorsOrigins])
            .WithMethods("GET", "POST", "PATCH", "PUT", "DELETE")
            .AllowAnyHeader()));
        builder.Services.AddMindspaceHealthChecks();
        builder.Services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Mindspace API";
            document.Info.Description = "Check-ins, mood and accounts for Mindspace. Realtime hub contract: /openapi/hubs.json.";
            return Task.CompletedTask;
        }));
        builder.Services.AddMindspaceNotifications();
        builder.Services.AddMindspaceAttention();
        builder.Services.AddMindspaceCommunityLive();
        builder.AddMindspaceAuth();
        builder.AddMindspaceTherapist();
        builder.Services.AddMindspaceShop();
        builder.Services.AddMindspacePersonalData();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseCors(CorsPolicy);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMindspaceRateLimiting();

        app.MapOpenApi("/openapi/{documentName}.json");
        // Only requests for the docs page pass through the Swagger UI middleware: it matches every
        // other GET against its own patterns before letting it by.
        app.UseWhen(context => context.Request.Path.StartsWithSegments($"/{DocsRoutePrefix}"), docs => docs.UseSwaggerUI(options =>
        {
            options.RoutePrefix = DocsRoutePrefix;
            options.DocumentTitle = "Mindspace API";
            options.SwaggerEndpoint("/openapi/v1.json", "Mindspace API v1");
        }));
        app.MapMindspaceHealth();
        app.MapMetrics(observability);
        app.MapMindspaceApis();
        if (observability.DashboardEnabled)
        {
            app.MapOrleansDashboard(DashboardPath).RequireAuthorization(AuthPolicies.Admin);
        }

        app.Lifetime.ApplicationStarted.Register(() => AnnounceAddress(app));
        return app;
    }

    private static void AnnounceAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses?.FirstOrDefault() is { } url)
        {
            // The structured "Now listening on" line comes from ASP.NET Core itself; this one is for people.
            Console.WriteLine($"Mindspace is running at {url}  (API docs: {url}/docs)");
        }
    }
}
