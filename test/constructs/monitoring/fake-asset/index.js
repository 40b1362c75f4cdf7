// Stands in for the bundled drift-monitor asset in construct tests, which only synthesize templates.
exports.handler = async () => ({});
