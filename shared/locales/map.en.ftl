# The resource map and referrals in the server's pages and reports (issue 17): ids map-*.
# The field app's words for them are in en.ftl, the dashboard's resource pages' in web.en.ftl.
map-referrals = Referrals
