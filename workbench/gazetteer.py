"""Names that are places: countries, their capitals, and the states and provinces of a few large
countries, lower-cased. Comparing two statements, a capitalised word after "in" may be a place
("crashed in Syria") or not ("lost a vote in Parliament", "wrote in Portuguese"); only a name
known here, or one given a direction ("western Iraq"), is compared as a place.

General knowledge, not taken from any article: a place missing here is compared only by its
direction, never flagged as a different place.
"""

from __future__ import annotations

COUNTRIES = """
afghanistan albania algeria andorra angola antigua argentina armenia australia austria azerbaijan bahamas bahrain
bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burkina
burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia denmark djibouti
dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece
grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica
japan jordan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya
liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius mexico
micronesia moldova monaco mongolia montenegro morocco mozambique myanmar burma namibia nauru nepal netherlands holland
nicaragua niger nigeria macedonia norway oman pakistan palau palestine panama paraguay peru philippines poland
portugal qatar romania russia rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain
sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga trinidad tunisia turkey
turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe yugoslavia
chechnya crimea gaza tibet kashmir kurdistan greenland scotland wales england britain
"""

MULTI_WORD = """
sri lanka, south africa, south korea, north korea, south sudan, saudi arabia, new zealand, costa rica, el salvador,
sierra leone, ivory coast, cape verde, east timor, united states, united kingdom, united arab emirates,
czech republic, dominican republic, central african republic, papua new guinea, solomon islands, marshall islands,
san marino, west bank, puerto rico, hong kong, new york, new jersey, new mexico, new hampshire, north carolina,
south carolina, north dakota, south dakota, west virginia, rhode island, buenos aires, phnom penh, addis ababa,
kuala lumpur, mexico city, panama city, abu dhabi, tel aviv, sao paulo, rio de janeiro, los angeles, san francisco
"""

CAPITALS = """
kabul tirana algiers luanda yerevan canberra vienna baku manama dhaka minsk brussels sofia ottawa santiago beijing
bogota havana nicosia prague copenhagen cairo tallinn helsinki paris tbilisi berlin accra athens budapest reykjavik
delhi jakarta tehran baghdad dublin jerusalem rome tokyo amman astana nairobi pristina riga beirut tripoli vilnius
skopje valletta chisinau ulaanbaatar podgorica rabat maputo windhoek kathmandu amsterdam wellington managua niamey
abuja pyongyang oslo muscat islamabad asuncion lima manila warsaw lisbon doha bucharest moscow kigali riyadh dakar
belgrade bratislava ljubljana mogadishu pretoria seoul juba madrid colombo khartoum stockholm bern damascus taipei
dushanbe dodoma bangkok tunis ankara ashgabat kampala kyiv kiev london washington montevideo tashkent caracas hanoi
sanaa lusaka harare
"""

STATES = """
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois indiana iowa
kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana nebraska
nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia wisconsin wyoming ontario quebec
alberta manitoba saskatchewan
"""

#: Every place, one or more words, lower-cased.
PLACES = frozenset(COUNTRIES.split() + CAPITALS.split() + STATES.split()
                   + [" ".join(name.split()) for name in MULTI_WORD.split(",")])
