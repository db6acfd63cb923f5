namespace Mindspace.Gateway.Hosting;

/// <summary>Response headers that keep browsers from doing anything the API never meant.</summary>
public static class SecurityHeaders
{
    // The interactive docs page and the operators' dashboard need their own scripts and styles; the API itself serves only JSON.
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    private const string DocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs") || context.Request.Path.StartsWithSegments(MindspaceGateway.DashboardPath) ? DocsPolicy : ApiPolicy;
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            return next(context);
        });
    }
}
