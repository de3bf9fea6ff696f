# डैशबोर्ड के शब्द (कोर टीम और CWC के पन्ने), id web-*। ऐप और रिपोर्ट के साथ साझा शब्द
# (ज़रूरतें, स्थिति, जोखिम, दस्तावेज़, मुलाक़ातें) hi.ftl में हैं।

web-login = लॉग इन करें
web-login-user = उपयोगकर्ता
web-login-password = पासवर्ड
web-logout = लॉग आउट
web-role-fieldworker = फ़ील्ड कार्यकर्ता
web-role-supervisor = पर्यवेक्षक
web-role-cwc = CWC सदस्य
web-role-admin = प्रशासक
web-forbidden-title = यह पन्ना आपके लिए नहीं है
web-forbidden = यह पन्ना आपके लिए खुला नहीं है।
web-forbidden-fieldworker = डैशबोर्ड कोर टीम और CWC के लिए है; फ़ील्ड कार्यकर्ता फ़ील्ड ऐप का उपयोग करते हैं।
web-forbidden-supervisor = यह पन्ना पर्यवेक्षकों और प्रशासकों के लिए है।
web-forbidden-admin = यह पन्ना प्रशासकों के लिए है।

web-nav-overview = सारांश
web-nav-cases = केस
web-nav-reports = रिपोर्ट
web-nav-spot-checks = जाँच
web-nav-conflicts = टकराव
web-nav-reviews = समीक्षा
web-nav-duplicates = दोहरे पंजीकरण
web-nav-moves = स्थान बदलना
web-nav-audit = ऑडिट

web-overview-title = सारांश, { $day }
web-district = ज़िला
web-block = प्रखंड
web-village = गाँव
web-active-cases = सक्रिय केस
web-visits-in = { $month } में मुलाक़ातें
web-due-visited = { $month } में जिनसे मुलाक़ात होनी थी / जिनसे हुई
web-fieldworkers = फ़ील्ड कार्यकर्ता
web-fieldworker = फ़ील्ड कार्यकर्ता
web-visits-this-week = इस हफ़्ते मुलाक़ातें
web-visits-last-week = पिछले हफ़्ते
web-visits-2-weeks = 2 हफ़्ते पहले
web-visits-3-weeks = 3 हफ़्ते पहले
web-last-sync = आख़िरी सिंक
web-never = कभी नहीं
web-cwc-reports = CWC मासिक रिपोर्ट

web-search = नाम, गाँव या केस नंबर
web-all = सभी
web-risk = जोखिम
web-status = स्थिति
web-overdue-only = मुलाक़ात
web-overdue = बाकी
web-claim-days = दावा कम से कम इतने दिन से रुका (दिन)
web-find = खोजें
web-cases-found = { $count ->
    [one] 1 केस
   *[other] { $count } केस
}
web-page-of = पन्ना { $page } / { $pages }
web-pages = पन्ने
web-previous = ← पिछला
web-next = अगला →
web-child = बच्चा/बच्ची
web-case-id = केस
web-next-visit = अगली मुलाक़ात
web-oldest-claim = सबसे पुराना रुका दावा
web-last-visit = आख़िरी मुलाक़ात
web-unassigned = कोई नहीं

web-case-read-only = केस { $id } · केवल पढ़ने के लिए
web-other-names = दूसरे नाम
web-case-place = { $village }, प्रखंड { $block }, ज़िला { $district }
web-panchayat = पंचायत { $name }
web-returned-on = { $date } को घर लौटे
web-since = { $date } से
web-reason = कारण
web-merged-into = दो बार दर्ज: यह केस इसमें मिला दिया गया
web-merged-from = यही बच्चा इन केसों में भी दर्ज था, जिनके रिकॉर्ड इस केस में मिला दिए गए:
web-case-n = केस { $id }
web-decide = स्थान बदलना पन्ने पर निर्णय लें
web-needs = ज़रूरतें
web-need = ज़रूरत
web-since-column = कब से
web-history = इतिहास
web-changes = { $n ->
    [one] 1 बदलाव
   *[other] { $n } बदलाव
}
web-settled-conflict = दो फ़ोन के बीच पर्यवेक्षक का चुनाव
web-claims = मुआवज़ा और हक़ के दावे
web-scheme = योजना
web-stage = चरण
web-applied-on = आवेदन की तारीख़
web-sanctioned-on = मंज़ूरी की तारीख़
web-paid-on = भुगतान की तारीख़
web-pending = कितने दिन से रुका
web-why-stuck = क्यों रुका
web-document = दस्तावेज़
web-court-case = अदालत का केस
web-next-hearing = अगली सुनवाई { $date }
web-by = किसने
web-no-incident = कोई उत्पीड़न दर्ज नहीं।
web-police = पुलिस
web-prompts-today = आज क्या करना है
web-priority = प्राथमिकता
web-priority-urgent = तुरंत
web-priority-high = ऊँची
web-priority-normal = सामान्य
web-what = क्या
web-due = कब तक
web-why = क्यों
web-visits = मुलाक़ातें
web-date = तारीख़

web-notice-outcome-needed = नतीजा चुनें: सही पाया, समस्या है, या जाँच नहीं हो सकी।
web-notice-note-needed = टिप्पणी में लिखें कि क्या ग़लत था, या मुलाक़ात की जाँच क्यों नहीं हो सकी।
web-notice-already-recorded = यह जाँच पहले ही दर्ज हो चुकी है: दर्ज नतीजा बदला नहीं जाता।
web-notice-already-drawn = इस महीने का नमूना पहले ही निकाला जा चुका है: एक महीने का नमूना एक ही बार निकलता है।
web-notice-value-needed = नया मान लिखें, या दिए गए मानों में से एक चुनें।
web-notice-value-refused = नया मान स्वीकार नहीं हुआ: इस जगह दूसरी तरह का मान चाहिए (किसी ज़रूरत की स्थिति उसी ज़रूरत की स्थितियों में से एक होती है)।
web-notice-comment-needed = टिप्पणी में लिखें कि फ़ील्ड कार्यकर्ता को क्या करना है।
web-notice-too-long = लिखा हुआ बहुत लंबा है: टिप्पणी में ज़्यादा से ज़्यादा { $note } अक्षर, मान में { $value }।
web-notice-assignee-needed = वह फ़ील्ड कार्यकर्ता चुनें जो नई जगह पर बच्चे की देखरेख करेगा/करेगी।
web-notice-no-move = इस केस का कोई स्थान बदलने का अनुरोध बाकी नहीं है (निर्णय हो चुका है, या वापस लिया गया)।
web-notice-same-child-unconfirmed = कुछ नहीं मिलाया गया: दोनों केस जाँचने के बाद “ये एक ही बच्चा है” पर निशान लगाएँ (भाई-बहन भी एक जैसे दिखते हैं)।
web-notice-month-not-over = यह महीना अभी ख़त्म नहीं हुआ: इसका नमूना अगले महीने की पहली तारीख़ से निकलता है, ताकि महीने की हर मुलाक़ात नमूने में आ सके।

# लोग, फ़ोन और केस किसके पास है (लोग पन्ना, केस पन्ने पर केस देने का फ़ॉर्म)।
web-nav-people = लोग
web-people = लोग
web-people-hint-admin = Homeward इस्तेमाल करने वाले सभी लोग। फ़ील्ड कार्यकर्ता के नए फ़ोन के लिए एक बार चलने वाला कोड दें; जो चले गए हैं उन्हें बंद करें (उनके फ़ोन अगले संपर्क पर मिटा दिए जाएँगे)।
web-people-hint-supervisor = आपके इलाक़े के फ़ील्ड कार्यकर्ता। नए फ़ोन के लिए एक बार चलने वाला कोड दें; खोया फ़ोन रद्द करें (अगले संपर्क पर वह मिटा दिया जाएगा)।
web-no-people = यहाँ कोई नहीं।
web-name = नाम
web-user-id = उपयोगकर्ता id
web-user-id-hint = अंग्रेज़ी अक्षर, अंक और -; ख़ाली छोड़ें तो नाम से बनेगा
web-role = भूमिका
web-areas = इलाक़े
web-areas-hint = हर पंक्ति में एक: ज़िला (Gaya), या ज़िला और प्रखंड (Gaya/Tekari)
web-password-hint = डैशबोर्ड के लिए; फ़ील्ड कार्यकर्ता के लिए नहीं
web-actions = काम
web-enabled = काम कर सकते हैं
web-disabled-on = { $date } को बंद
web-new-code = नए फ़ोन का कोड
web-disable = बंद करें
web-enable = फिर चालू करें
web-code-for = { $name } के फ़ोन का एक बार चलने वाला कोड
web-code-hint = इसे 7 दिन के अंदर फ़ील्ड ऐप की पहली स्क्रीन पर लिखें। यह एक ही बार चलता है और सिर्फ़ अभी दिखाया गया है।
web-devices = फ़ोन
web-no-devices = कोई फ़ोन दर्ज नहीं।
web-device = फ़ोन
web-enrolled = कब जुड़ा
web-in-use = चालू
web-revoked-on = { $date } को रद्द
web-revoke = रद्द करें
web-revoke-confirm = अगले संपर्क पर यह फ़ोन मिटा दिया जाएगा
web-add-user = नया उपयोगकर्ता जोड़ें
web-followed-by = देखरेख
web-assign = केस इन्हें दें
web-assign-button = दें
web-assign-hint = सिर्फ़ वे फ़ील्ड कार्यकर्ता जो इस प्रखंड में काम करते हैं। जो परिवार कहीं और चला गया, उसका केस स्थान बदलने के अनुरोध से जाता है।
web-notice-revoke-unconfirmed = कुछ रद्द नहीं हुआ: निशान लगाएँ कि अगले संपर्क पर फ़ोन मिटा दिया जाएगा (उस पर न भेजी गई मुलाक़ातें खो जाएँगी)।
web-notice-not-yourself = आप ख़ुद को बंद नहीं कर सकते: किसी दूसरे प्रशासक से कहें।
web-notice-assignee-outside = नहीं दिया गया: वह फ़ील्ड कार्यकर्ता वहाँ काम नहीं करते जहाँ बच्चा रहता है। अगर परिवार कहीं और चला गया है, तो फ़ील्ड कार्यकर्ता स्थान बदलने का अनुरोध भेजें और आप स्थान बदलना पन्ने पर निर्णय लें।
web-nav-programme = कार्यक्रम
web-programme-hint = वे सीमाएँ और योजनाएँ जिनसे हर फ़ोन, पन्ना और रिपोर्ट चलते हैं: आपकी संस्था की फ़ाइल, पहले से तय मानों के ऊपर। पहले से मौजूद key वाली योजना उसी योजना को बदलती है, नई key नई योजना जोड़ती है, remove = true योजना हटाती है। नया संस्करण हर फ़ोन तक उसके अगले सिंक पर पहुँचता है।
web-programme-version = संस्करण { $version }, { $by } ने { $at } (UTC) को लागू किया।
web-programme-defaults = पहले से तय मान लागू हैं: कोई फ़ाइल नहीं दी गई।
web-programme-file = कार्यक्रम फ़ाइल
web-programme-set = जाँचें और लागू करें
web-programme-history = संस्करण
web-version = संस्करण
web-programme-defaults-file = पहले से तय मान, और हर key का मतलब

# रिपोर्ट पन्ना।
web-reports-title = रिपोर्ट, { $day }
web-cwc-reports-of = CWC मासिक रिपोर्ट, { $month }
web-cwc-reports-hint = ज़िले का हर बच्चा नाम से, बाल कल्याण समिति के लिए। सारांश CSV में महीने के आँकड़े हैं।
web-summary-csv = सारांश CSV
web-gaps-title = व्यवस्था की कमियाँ
web-gaps-hint = आज तक रुके मुआवज़े और हक़ के दावे, प्रखंड, योजना और चरण के हिसाब से, कितने समय से रुके हैं उसके समूहों में। सिर्फ़ गिनती, किसी बच्चे का नाम नहीं: बाल संरक्षण व्यवस्था के बाहर के अधिकारियों के लिए।
web-all-districts = सभी ज़िले
web-no-district = आपके इलाक़े में कोई ज़िला नहीं।
web-risk-title = जोखिम के हिसाब से सक्रिय केस
web-risk-chart = हर ज़िले में जोखिम के हिसाब से सक्रिय केस, { $day }
web-visits-per-week = हर हफ़्ते की मुलाक़ातें
web-visits-per-week-hint = पिछले चार हफ़्तों में हर फ़ील्ड कार्यकर्ता की मुलाक़ातें और फ़ोन कॉल, सबसे पुराना हफ़्ता पहले, एक ही पैमाने पर। हफ़्ते पर उसका पहला दिन लिखा है।
web-visits-by = { $name } की हर हफ़्ते की मुलाक़ातें
web-no-visits-4-weeks = पिछले चार हफ़्तों में आपके इलाक़े में कोई मुलाक़ात नहीं।
web-audit-title = ऑडिट लॉग
web-audit-user = उपयोगकर्ता
web-audit-entries = कितनी प्रविष्टियाँ
web-audit-shown = सबसे नई पहले; { $n } दिखाई गईं।
web-audit-at = कब (UTC)
web-audit-action = काम
web-audit-detail = ब्योरा
web-audit-none = कोई प्रविष्टि नहीं मिली।
