// Same-run baselines for bench/http (see bench/http/README.md):
//
//   GET  /constant          a fixed small JSON document: the HTTP ceiling of Kestrel on this machine
//   POST /entries           the check-in write as a team would build it without grains: validate, one
//                           INSERT through a pooled NpgsqlDataSource, 201 with the row as JSON
//   GET  /entries?limit=20  the check-in read: one SELECT ... ORDER BY id DESC LIMIT n for the caller
//
// /entries is authenticated exactly like Mindspace's /api/v1/entries is at the JWT level: the same
// HS256 access tokens (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE), validated with the same parameters, and
// the same "member" role policy. The user id is the token's `sub`. The one thing it does not do is
// the gateway's per-request "is this session still active" lookup: a conventional app with stateless
// JWTs would skip it, which can only favour this baseline.
//
// Settings (environment): PORT [5090], HOST [127.0.0.1], DATABASE_URL (an Npgsql connection string
// or postgres://user:pass@host:port/db; required), JWT_SECRET (required), JWT_ISSUER [mindspace],
// JWT_AUDIENCE [mindspace-api].
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Mindspace.Baselines;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole();
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var configuration = builder.Configuration;
var port = int.Parse(configuration["PORT"] ?? "5090", CultureInfo.InvariantCulture);
var host = configuration["HOST"] is { Length: > 0 } h ? h : "127.0.0.1";
var secret = configuration["JWT_SECRET"] is { Length: >= 32 } s
    ? Encoding.UTF8.GetBytes(s)
    : throw new InvalidOperationException("JWT_SECRET (at least 32 characters) is required.");
var connectionString = Database.ConnectionString(configuration["DATABASE_URL"]
    ?? throw new InvalidOperationException("DATABASE_URL is required."));

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(System.Net.IPAddress.Parse(host), port);
});

builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
builder.Services
    .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddJwtBearer(options =>
    {
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = configuration["JWT_ISSUER"] is { Length: > 0 } issuer ? issuer : "mindspace",
            ValidAudience = configuration["JWT_AUDIENCE"] is { Length: > 0 } audience ? audience : "mindspace-api",
            IssuerSigningKey = new SymmetricSecurityKey(secret),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(5),
            NameClaimType = "sub",
            RoleClaimType = "role",
        };
    });
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("member", policy => policy.RequireAuthenticatedUser().RequireRole("member", "moderator", "admin"));

var app = builder.Build();
await Database.CreateSchemaAsync(app.Services.GetRequiredService<NpgsqlDataSource>());

app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/constant", () => Constant.Response);
app.MapGet("/health", () => Results.Ok());

var entries = app.MapGroup("/entries").RequireAuthorization("member");
entries.MapPost("", async (EntryRequest request, ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken cancellationToken) =>
{
    if (!Guid.TryParse(user.FindFirstValue("sub"), out var userId))
    {
        return Results.Unauthorized();
    }

    if (EntryRules.Validate(request) is { } errors)
    {
        return Results.ValidationProblem(errors);
    }

    var entry = EntryRules.Normalize(request);
    await Database.InsertAsync(db, userId, entry, cancellationToken);
    return Results.Created($"/entries/{entry.Id}", entry);
});

entries.MapGet("", async (string? limit, ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken cancellationToken) =>
{
    if (!Guid.TryParse(user.FindFirstValue("sub"), out var userId))
    {
        return Results.Unauthorized();
    }

    var pageSize = 20;
    if (!string.IsNullOrEmpty(limit)
        && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= 100))
    {
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["Choose a page size from 1 to 100."] });
    }

    var rows = await Database.NewestAsync(db, userId, pageSize + 1, cancellationToken);
    var next = rows.Count > pageSize ? rows[pageSize - 1].Id.ToString("N") : null;
    return Results.Ok(new EntryPage(rows.Count > pageSize ? rows[..pageSize] : rows, next));
});

await app.RunAsync();
