using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Mindspace.Gateway.Tests.Focus;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Attention;

/// <summary>
/// The browser extension in Debian's Chromium (through Microsoft.Playwright, with the system
/// browser: Playwright's own download is not used), against a running gateway, browsing pages a
/// local server serves under several <c>*.localhost</c> names (Chromium resolves them to loopback).
/// </summary>
public sealed class ExtensionEndToEndTests
{
    /// <summary>Debian's Chromium binary (the /usr/bin/chromium script wraps it).</summary>
    private const string ChromiumPath = "/usr/lib/chromium/chromium";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_extension_signs_in_sends_ticks_pauses_blocks_and_unlocks_before_the_site_loads()
    {
        Assert.True(File.Exists(ChromiumPath), $"Debian's chromium is needed at {ChromiumPath} (apt-get install chromium; .ci/run installs it).");
        await using var host = await MindspaceTestHost.StartAsync();
        await using var pages = await PageServer.StartAsync();
        // A zone where it is about noon, so a 06:00–18:00 schedule is on for the whole test and 20:00–22:00 is off.
        var user = await host.RegisterAndLoginAsync(timeZone: NoonZone());
        await user.Client.CreateRuleAsync(new { name = "Breathe first", sites = new[] { "pause.localhost" }, action = "pause", pauseSeconds = 3 });
        await user.Client.CreateRuleAsync(new { name = "Not today", sites = new[] { "blocked.localhost" }, action = "block" });
        await user.Client.CreateRuleAsync(new { name = "Daytime", sites = new[] { "scheduled.localhost" }, action = "pause", pauseSeconds = 3, schedule = new { ranges = new[] { new { from = "06:00", to = "18:00" } } } });
        await user.Client.CreateRuleAsync(new { name = "Evenings", sites = new[] { "evening.localhost" }, action = "block", schedule = new { ranges = new[] { new { from = "20:00", to = "22:00" } } } });
        (await user.Client.PatchAsJsonAsync("/api/v1/attention/settings", new { categories = new Dictionary<string, string> { ["distract.localhost"] = "distracting" } })).EnsureSuccessStatusCode();

        using var profile = new TempDirectory("mindspace-chromium");
        using var playwright = await Playwright.CreateAsync();
        var extension = ExtensionDirectory();
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile.Path, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = [$"--disable-extensions-except={extension}", $"--load-extension={extension}"],
        });
        browser.SetDefaultTimeout((float)Wait.TotalMilliseconds);
        var extensionId = UnpackedExtensionId(extension);

        // Sign in through the popup, with the API's email and password.
        var popup = await browser.NewPageAsync();
        await popup.GotoAsync($"chrome-extension://{extensionId}/popup.html");
        await popup.FillAsync("#server", host.BaseAddress.ToString());
        await popup.FillAsync("#email", user.Email);
        await popup.FillAsync("#password", user.Password);
        await popup.ClickAsync("#signin-form button[type=submit]");
        await popup.Locator("#today").WaitForAsync();
        Assert.Contains(user.Email, await popup.Locator("#signed-in-as").TextContentAsync(), StringComparison.Ordinal);

        // Browsing: the time on one site becomes ticks that reach the server.
        var tab = await browser.NewPageAsync();
        await tab.BringToFrontAsync();
        await tab.GotoAsync(pages.Url("reading.localhost", "/article"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await tab.GotoAsync(pages.Url("other.localhost", "/next"));
        var export = await Eventually.ReturnsAsync(
            () => user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/export"),
            e => e.GetProperty("attention").GetProperty("spans").EnumerateArray().Any(s => s.GetProperty("site").GetString() == "reading.localhost"),
            "a span for reading.localhost from the extension's ticks",
            seconds: 60);
        var span = export.GetProperty("attention").GetProperty("spans").EnumerateArray().First(s => s.GetProperty("site").GetString() == "reading.localhost");
        Assert.True(span.GetProperty("end").GetDateTimeOffset() > span.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, span.GetProperty("path").ValueKind);

        // A pause: the browser sends the tab to the breathing page before the site is asked for
        // anything, the page asks the server (the reason, the attempt); "I don't want to open it" is recorded.
        await GoAsync(tab, pages.Url("pause.localhost", "/feed"));
        await ReachedAsync(tab, $"chrome-extension://{extensionId}/pause.html");
        await tab.Locator("#reason", new PageLocatorOptions { HasTextString = "Breathe first" }).WaitForAsync();
        Assert.False(await tab.Locator("#proceed").IsVisibleAsync());
        Assert.False(await tab.Locator("#unlock").IsVisibleAsync());
        Assert.Equal(0, pages.Requests("pause.localhost"));
        // The pause page's question counted one attempt (and navigation did not ask again): this is the second.
        Assert.Equal(2, (await user.Client.DecideAsync("https://pause.localhost/")).GetProperty("attemptsToday").GetInt32());
        await tab.ClickAsync("#dismiss");
        await tab.Locator("text=Well chosen.").WaitForAsync();
        var summary = await Eventually.ReturnsAsync(
            () => user.Client.GetFromJsonAsync<JsonElement>("/api/v1/attention/summary"),
            s => s.GetProperty("choseNotToOpen").GetInt32() == 1,
            "the dismissal to be recorded");
        Assert.Contains("attention back", summary.GetProperty("celebration").GetString(), StringComparison.Ordinal);

        // A pause, then "Open anyway" once the delay is over: the page opens (only now is it asked for).
        await GoAsync(tab, pages.Url("pause.localhost", "/feed"));
        await ReachedAsync(tab, $"chrome-extension://{extensionId}/pause.html");
        Assert.Equal(0, pages.Requests("pause.localhost"));
        await tab.Locator("#proceed").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await tab.ClickAsync("#proceed");
        await ReachedAsync(tab, pages.Url("pause.localhost", "/feed"));
        Assert.Equal("pause.localhost", await tab.Locator("#page").TextContentAsync());
        Assert.Equal(1, pages.Requests("pause.localhost"));

        // A rule on a schedule that is on now: stopped before the request leaves, like one that always applies.
        await GoAsync(tab, pages.Url("scheduled.localhost", "/feed"));
        await ReachedAsync(tab, $"chrome-extension://{extensionId}/pause.html");
        await tab.Locator("#reason", new PageLocatorOptions { HasTextString = "Daytime" }).WaitForAsync();
        Assert.Equal(0, pages.Requests("scheduled.localhost"));

        // A rule whose schedule is off now stays out of the way.
        await tab.GotoAsync(pages.Url("evening.localhost", "/"));
        Assert.Equal("evening.localhost", await tab.Locator("#page").TextContentAsync());
        Assert.Equal(1, pages.Requests("evening.localhost"));

        // A block: the block page, and it stays; the site is never asked for.
        await GoAsync(tab, pages.Url("blocked.localhost", "/"));
        await ReachedAsync(tab, $"chrome-extension://{extensionId}/block.html?");
        // The address changes when the block page's document commits; block.js fills in the reason a
        // moment later (the empty #reason is already in the HTML): wait for the text, not the element.
        await tab.Locator("#reason", new PageLocatorOptions { HasTextString = "Not today" }).WaitForAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.StartsWith($"chrome-extension://{extensionId}/block.html", tab.Url, StringComparison.Ordinal);
        Assert.Equal(0, pages.Requests("blocked.localhost"));

        // An unlock from the pause page, in another tab: once the pause is over, it unlocks the site
        // through the API and opens it; then it opens at once in any tab, and the server agrees.
        var second = await browser.NewPageAsync();
        await GoAsync(second, pages.Url("pause.localhost", "/later"));
        await ReachedAsync(second, $"chrome-extension://{extensionId}/pause.html");
        await second.Locator("#unlock").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await second.SelectOptionAsync("#unlock-minutes", "30");
        await second.FillAsync("#unlock-reason", "Looking up a recipe");
        await second.ClickAsync("#unlock button[type=submit]");
        await ReachedAsync(second, pages.Url("pause.localhost", "/later"));
        var friction = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/friction");
        var unlockedFor = Assert.Single(friction.GetProperty("unlocks").EnumerateArray()).GetProperty("until").GetDateTimeOffset() - DateTimeOffset.UtcNow;
        Assert.InRange(unlockedFor, TimeSpan.FromMinutes(28), TimeSpan.FromMinutes(30));
        Assert.Equal("pause.localhost", await second.Locator("#page").TextContentAsync());
        var unlocked = await user.Client.DecideAsync("https://pause.localhost/");
        Assert.Equal("allow", unlocked.GetProperty("action").GetString());
        Assert.Contains("unlocked", unlocked.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var third = await browser.NewPageAsync();
        await third.GotoAsync(pages.Url("pause.localhost", "/anywhere"));
        Assert.Equal("pause.localhost", await third.Locator("#page").TextContentAsync());
        Assert.Equal(pages.Url("pause.localhost", "/anywhere"), third.Url);

        // The popup shows today's attention and starts a focus session.
        await popup.ReloadAsync();
        await popup.Locator("#today").WaitForAsync();
        Assert.Contains("of attention today", await popup.Locator("#total").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("chose not to open", (await popup.Locator("#celebration").TextContentAsync()) ?? "", StringComparison.Ordinal);
        await popup.ClickAsync("#start-session button[data-minutes='25']");
        await popup.Locator("#session-status", new PageLocatorOptions { HasTextString = "Focusing" }).WaitForAsync();
        var current = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/sessions/current");
        Assert.Equal(25, current.GetProperty("plannedMinutes").GetInt32());

        // While it runs, a site the person counts as distracting is stopped before the request leaves.
        await GoAsync(tab, pages.Url("distract.localhost", "/"));
        await ReachedAsync(tab, $"chrome-extension://{extensionId}/pause.html");
        await tab.Locator("#reason", new PageLocatorOptions { HasTextString = "focus session" }).WaitForAsync();
        Assert.Equal(0, pages.Requests("distract.localhost"));

        // Once it ends, the site opens.
        await popup.ClickAsync("#end-session");
        await popup.Locator("#session-status", new PageLocatorOptions { HasTextString = "No session on." }).WaitForAsync();
        await GoAsync(tab, pages.Url("distract.localhost", "/after"));
        await ReachedAsync(tab, pages.Url("distract.localhost", "/after"));
        Assert.Equal(1, pages.Requests("distract.localhost"));

        // A session started on another device (the API, as a phone would) reaches this browser over its
        // live connection, which re-arms friction at once: the distracting site is stopped before the
        // request leaves, without waiting for the 30-second poll.
        var probe = pages.Url("distract.localhost", "/elsewhere");
        var started = await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 50, strictness = "firm" });
        var remoteId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Eventually.ReturnsAsync(
            () => LiveStateAsync(popup, probe),
            state => state.PushedSession == remoteId && state.PushedStatus == "running" && state.Armed,
            "the extension to hear of the session started elsewhere and arm the distracting site");
        await GoAsync(tab, probe);
        await ReachedAsync(tab, $"chrome-extension://{extensionId}/pause.html");
        await tab.Locator("#reason", new PageLocatorOptions { HasTextString = "focus session" }).WaitForAsync();
        Assert.Equal(1, pages.Requests("distract.localhost"));

        // Ended elsewhere: disarmed here as soon as the push arrives.
        (await user.Client.PostAsync($"/api/v1/focus/sessions/{remoteId}/end", null)).EnsureSuccessStatusCode();
        await Eventually.ReturnsAsync(
            () => LiveStateAsync(popup, probe),
            state => state.PushedSession == remoteId && state.PushedStatus == "ended" && !state.Armed,
            "the extension to hear the session ended and disarm the site");
        await GoAsync(tab, probe);
        await ReachedAsync(tab, probe);
        Assert.Equal(2, pages.Requests("distract.localhost"));

        // A rule set made on another device (over HTTP, as a phone would) while the browser is open reaches
        // it over the live connection (frictionChanged), which re-arms friction at once: the next navigation
        // to the site goes to the pause page before the request leaves, without waiting for the poll.
        var fresh = pages.Url("fresh.localhost", "/news");
        await user.Client.CreateRuleAsync(new { name = "Made on the phone", sites = new[] { "fresh.localhost" }, action = "pause", pauseSeconds = 3 });
        await Eventually.ReturnsAsync(
            () => LiveFrictionAsync(popup, fresh),
            state => state.PushedCause == "rules" && state.Armed,
            "the extension to hear the rule set was made elsewhere and arm its site");
        await GoAsync(tab, fresh);
        await ReachedAsync(tab, $"chrome-extension://{extensionId}/pause.html");
        await tab.Locator("#reason", new PageLocatorOptions { HasTextString = "Made on the phone" }).WaitForAsync();
        Assert.Equal(0, pages.Requests("fresh.localhost"));
    }

    /// <summary>
    /// Read in an extension page (the popup): the cause of the last frictionChanged push the service worker
    /// acted on (it records it once the friction it then asked for is armed), and whether the browser now
    /// redirects <paramref name="url"/> to the pause page.
    /// </summary>
    private static async Task<(string? PushedCause, bool Armed)> LiveFrictionAsync(IPage extensionPage, string url)
    {
        var json = await extensionPage.EvaluateAsync<string>(
            """
            async (url) => {
              const { lastFrictionPush } = await chrome.storage.session.get("lastFrictionPush");
              const rules = await chrome.declarativeNetRequest.getSessionRules();
              const matching = rules.filter((r) => new RegExp(r.condition.regexFilter, "i").test(url));
              const top = Math.max(0, ...matching.map((r) => r.priority));
              const armed = matching.some((r) => r.action.type === "redirect" && r.priority === top);
              return JSON.stringify({ cause: lastFrictionPush?.cause ?? null, armed });
            }
            """,
            url);
        var state = JsonDocument.Parse(json).RootElement;
        return (state.GetProperty("cause").GetString(), state.GetProperty("armed").GetBoolean());
    }

    /// <summary>
    /// Read in an extension page (the popup): the last focus session the service worker's live connection
    /// pushed, and whether the browser now redirects <paramref name="url"/> to the pause page.
    /// </summary>
    private static async Task<(string? PushedSession, string? PushedStatus, bool Armed)> LiveStateAsync(IPage extensionPage, string url)
    {
        var json = await extensionPage.EvaluateAsync<string>(
            """
            async (url) => {
              const { lastSessionPush } = await chrome.storage.session.get("lastSessionPush");
              const rules = await chrome.declarativeNetRequest.getSessionRules();
              const matching = rules.filter((r) => new RegExp(r.condition.regexFilter, "i").test(url));
              const top = Math.max(0, ...matching.map((r) => r.priority));
              const armed = matching.some((r) => r.action.type === "redirect" && r.priority === top);
              return JSON.stringify({ id: lastSessionPush?.id ?? null, status: lastSessionPush?.status ?? null, armed });
            }
            """,
            url);
        var state = JsonDocument.Parse(json).RootElement;
        return (state.GetProperty("id").GetString(), state.GetProperty("status").GetString(), state.GetProperty("armed").GetBoolean());
    }

    /// <summary>A fixed-offset zone where the real clock reads about noon.</summary>
    private static string NoonZone()
    {
        var offset = 12 - DateTimeOffset.UtcNow.Hour;
        return offset switch
        {
            0 => "Etc/GMT",
            > 0 => $"Etc/GMT-{offset}",
            _ => $"Etc/GMT+{-offset}",
        };
    }

    /// <summary>
    /// Waits until the tab's address starts with <paramref name="urlPrefix"/>. The extension's redirect
    /// may land before the wait begins, so this looks at where the tab is rather than waiting for an event.
    /// </summary>
    private static Task ReachedAsync(IPage tab, string urlPrefix)
        => Eventually.TrueAsync(() => tab.Url.StartsWith(urlPrefix, StringComparison.Ordinal), $"the tab to show {urlPrefix} (it shows {tab.Url})", seconds: 30);

    /// <summary>Navigates, tolerating the navigation being replaced by the extension's pause or block page.</summary>
    private static async Task GoAsync(IPage tab, string url)
    {
        try
        {
            await tab.GotoAsync(url);
        }
        catch (PlaywrightException)
        {
            // net::ERR_ABORTED or "interrupted by another navigation": the extension took over.
        }
    }

    /// <summary>
    /// Chromium's id for an unpacked extension: the SHA-256 of its absolute path, the first 32 hex
    /// digits written with the letters a–p.
    /// </summary>
    private static string UnpackedExtensionId(string path)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(path));
        var id = new StringBuilder(32);
        foreach (var b in hash.AsSpan(0, 16))
        {
            id.Append((char)('a' + (b >> 4))).Append((char)('a' + (b & 0xF)));
        }

        return id.ToString();
    }

    private static string ExtensionDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "clients", "extension");
            if (File.Exists(Path.Combine(candidate, "manifest.json")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new InvalidOperationException("clients/extension was not found above the test's directory.");
    }

    /// <summary>Serves a small page for any host and path: its title and an #page heading name the host.</summary>
    private sealed class PageServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, int> _requests;

        private PageServer(WebApplication app, int port, ConcurrentDictionary<string, int> requests)
        {
            _app = app;
            Port = port;
            _requests = requests;
        }

        public int Port { get; }

        /// <summary>How many times a page of <paramref name="host"/> was asked for.</summary>
        public int Requests(string host) => _requests.GetValueOrDefault(host);

        public string Url(string host, string path) => $"http://{host}:{Port}{path}";

        public static async Task<PageServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var requests = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            app.MapGet("/{**path}", (HttpContext http) =>
            {
                var host = http.Request.Host.Host;
                if (http.Request.Path != "/favicon.ico")
                {
                    requests.AddOrUpdate(host, 1, (_, count) => count + 1);
                }

                return Results.Content($"<!doctype html><html><head><title>{host}</title></head><body><h1 id=\"page\">{host}</h1></body></html>", "text/html");
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new PageServer(app, new Uri(address).Port, requests);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
