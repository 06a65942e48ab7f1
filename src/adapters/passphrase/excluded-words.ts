/**
 * Words that must never appear in a generated passphrase. The kiosk prints nothing of the passphrase, but
 * the applicant copies it by hand in front of an officer, so every word must be fit for a government
 * counter. The source list (zxcvbn-ts's Indonesian common words) comes from film subtitles, hence
 * the swearing, the crime vocabulary and the many foreign names.
 */

/** Split a whitespace-separated block; easier to review than one quoted string per line. */
const words = (block: string): string[] => block.split(/\s+/).filter((word) => word !== '');

/**
 * Unfit for a civil servant's passphrase, reviewed by hand over every candidate
 * up to the last word the list keeps (rank ~6,000 of the dictionary's 4-8 letter words).
 */
export const UNFIT_WORDS: readonly string[] = [
  // violence, death, crime, weapons
  ...words(`
  mati membunuh bunuh dibunuh terbunuh kubunuh pembunuh kematian tewas wafat mayat jasad jenazah
  almarhum sekarat makam kuburan kubur mengubur dikubur otopsi autopsi koroner akhirat senjata
  pistol senapan pedang pisau peluru tembak menembak ditembak tembakan kutembak penembak meledak
  ledakan peledak ledakkan bom rudal ranjau granat amunisi nuklir darah berdarah perang tempur
  serang serangan diserang menyerbu memukul dipukul dipukuli memukuli kuhajar hajar dihajar
  menusuk ditusuk tusuk menikam ditikam mencekik menyiksa disiksa siksaan tersiksa melukai terluka
  cedera korban penjara tahanan napi sipir borgol penjahat jahat kriminal pidana dakwaan didakwa
  terdakwa dihukum hukuman mencuri dicuri curi curian pencuri merampok dirampok perampok perompak
  menculik diculik penculik sandera tebusan menipu ditipu penipu penipuan tertipu teroris teror
  kartel mafia gangster bandit preman racun beracun meracuni bakar membakar dibakar terbakar
  hangus gantung mengamuk sadis kejam keji brutal predator pembantaian eksekusi kudeta misil
  tusukan diracuni binasa gegar menodai pincang kelainan derita suntik dibantai mesiu biadab
  dibius perusak torpedo jeruji disuntik killer lukai disakiti buronan tragedi tragis menjerit
  jeritan dituduh suap digigit diadili merampas bangkai membasmi maut celaka habisi terkubur
  menyusup penyusup peretas meretas menyadap penyadap membobol membajak bajak menampar kupukul
  dikurung kurungan dikepung belati tombak meriam tawanan invasi ancaman ilegal musuh dendam benci
  membenci dibenci murka diancam menindas tamparan tertusuk
  `),
  // illness, body, bodily functions
  ...words(`
  sakit penyakit kanker tumor virus wabah infeksi demam muntah mual gejala sindrom trauma depresi
  psikopat paranoid stres pingsan lumpuh cacat buta tuli bisu koma kejang kambuh bengkak gatal
  nyeri batuk alergi diabetes yatim piatu kencing pipis tahi kentut pantat bokong payudara vagina
  penis kelamin kemaluan sperma orgasme bugil telanjang janin ereksi obatan horor menular mutan
  amnesia histeris kejiwaan terkilir stroke parasit infus tertular bakteri tersedak jijik gemuk
  kurus sengsara terpuruk radang kram diare liur
  `),
  // sex, romance
  ...words(`
  seks seksi seksual bercinta bercumbu ciuman cium mesum porno nafsu gairah hasrat merayu menggoda
  meniduri pelacur jalang perawan lesbian homo banci kondom selir kawin hamil janda cerai kencan
  pacaran aborsi godaan cabul bordil intim asmara erangan tergoda kencani bercerai kasim
  `),
  // insults, swearing, slang, interjections
  ...words(`
  gila gilaan kegilaan tergila sinting bodoh tolol dungu idiot sial sialan kesialan bajingan
  brengsek bangsat keparat bedebah persetan kotoran sampah babi anjing monyet keledai jelek konyol
  payah egois sombong licik busuk pengecut penakut cengeng norak munafik gendut botak jorok
  pemalas pemarah cerewet kampungan rasis arogan mabuk pemabuk teler enyah nggak enggak ngga gitu
  gimana kalo banget cewek cowok udah liat ngomong ngobrol ngerti ngapain kayak pake beneran bener
  lagian cuman gini nomer trims makasih aduh astaga amit apaan dong mahu hore fucking nangis emang
  kagak ikutan umpet aish argh dear olok naksir meong daah menghina hina murahan budak sebodoh
  picik tengik mengemis pengemis onar barbar maniak pengen rakus memaki malasan ahhh ultah
  pengacau kubenci mendesah
  `),
  // religion, the supernatural
  ...words(`
  tuhan dewa dewi iblis setan neraka surga dosa berdosa gereja pastor pendeta berdoa natal
  malaikat amin suci kudus alkitab kitab biara biksu sekte altar haram agama umat kuil pura ritual
  bapa nabi yesus kristus islam kristen katolik buddha yahudi arab cina hantu arwah siluman sihir
  penyihir kutukan terkutuk mengutuk dikutuk jimat dukun cenayang peramal ramalan kiamat vampir
  zombie zombi dirasuki berhantu gaib uskup bertobat religius sesat mukjizat subuh odin hades
  lilith tionghoa goblin pendosa ayat vatikan takhayul surgawi salib merasuki khilaf satan hyang
  misa shiva magis kultus penganut devi kardinal
  `),
  // politics, drugs, alcohol, gambling
  ...words(`
  komunis nazi hitler partai pemilu kampanye korupsi korup revolusi politisi narkoba ganja kokain
  kokaina heroin pecandu pengedar alkohol wiski vodka miras arak sampanye tequila soju rokok
  merokok judi berjudi kasino taruhan bertaruh poker lotre dadah opium pencandu sabu
  `),
  // fragments of reduplicated words and markup left in the subtitle corpus
  ...words(`
  kupu kura teka teki lumba gesa tergesa nyiakan menyia siakan kanakan kekanak apakan matian
  nakuti engah berpura meng apos subs resync synced idfl subscrew subtitle subtitel chffffff
  episode netflix youtube facebook twitter google belur nian doldam nyeo saet ubur kerana matai
  memata kanak bolak mengolok kunang terangan berterus menerus menakut baling cabik
  `),
];

/**
 * Not Indonesian: personal and place names, English and romanised Korean, Chinese and Japanese words
 * from the subtitle corpus. Harmless, but an applicant should get words they can spell.
 */
export const FOREIGN_WORDS: readonly string[] = words(`
  yeah kang young john park jung seok jack jang korea hyun york yoon hong joon choi jong frank
  david xiao michael charlie yeon james sung mike okay chan peter alex kyung kwang song hoon harry
  jeong george master shin henry nick india mary well paul super london sarah whoa chen kook bill
  tony wang jimmy seoul jane anna paris seung billy jake richard yeong gary barry mark tommy
  daniel bong will hello kevin chris clark chang danny hyung adam claire kate jason maria johnny
  yong alice yuan bobby ryan scott charles steve emily chul rachel thomas kong baek game bang
  oliver eddie andy black emma matt robert ming bruce sara king grace martin that lord haha simon
  oppa city seong your hwang robin chef william feng qing cheol lucy lisa luke ling arthur zhang
  walter rose jerry moon aigoo chun hyeon byung chuck dave jackson soon rick victor brian love
  eric lady pete roma dean carl china jiang zhao ying luffy jing seon mayor maggie sean roger lily
  cheng naruto april myung chicago fang kwon jenny morgan wayne marcus street jeff phil josh tokyo
  chloe julia kelly andrew laura elena long hannah kyle santa chae annie with jones hyuk shen
  larry hank geun star know amanda anne edward hyeong maya gordon alan tyler molly patrick stark
  joey miss shan beth hwan follow jamie howard white blue geum house taylor cole jesse louis jess
  parker carter helen khan texas ethan green jordan color jessica sheriff betty west karen zhou
  susan this rebecca fred jackie gotham tian wook carol abby flash dragon nathan joseon like
  miller running terry olivia bravo team genius nate cooper doug sophie derek diana ross suri
  cheon jean vegas singh sook conan online teddy greg vincent jacob linda rong smith frankie viki
  queen nancy bonnie seol mulder angeles myeong aaron superman jeremy boss lucas lana batman nora
  jonathan boston wilson connor damon jennifer allen angela thailand ding grand have ripped rock
  dylan katie casey johnson gyeong todd justin kara liang mason zheng brown matthew michelle sheng
  deok liam original nina oscar logan walker dollar brad carlos just caroline little julie whoo
  victoria gwang huang baby tina vietnam stefan time marie monica sally kenny island florida
  sakura dennis berlin hunter joseph marty pizza lois diego penny xiang duke murphy down phoebe
  miles grey marshall owen carrie blake spencer miami shanghai what quinn woong sasuke gabriel
  anthony malcolm bailey elliot riley steven finn francis lincoln hope happy albert qian margaret
  chief barbara lewis martha email sheldon virginia travis hill sherlock grant indian davis ruby
  ronnie iron jeon harvey pakistan noah group toby wong joong clay bell june paige ricky guys
  leonard lane cindy tara russell vince november stan investor central jesus holmes alfred rita
  real circle ashley mitch hallo mickey zhen harris shaw marco lena xuan dick angel raymond want
  pablo crew world isaac laurel bella ninja julian kimchi stephen klaus norman night make judy
  cassie barney kent right delhi burger lucifer israel scully ting good trevor lance ellie ralph
  seattle evan sandy shim kurt megan gonna janet vanessa brandon golden gloria mikey miguel swiss
  heather watson ball yuri harold natalie warren barbie stone muhammad soviet benny high mona earl
  leon snow sammy neil spider nicole lang chung jian shawn manny chase sydney luthor romeo becky
  meredith denny gold jill franklin georgia wendy archie houston wells rocky holly hawaii jeju
  from mumbai xian niles surya crane veronica dale daisy williams keith thor walt busan phoenix
  seth gina size harrison sunny potter donna lydia amber ford piper nami brooklyn here carmen
  stella come tiger craig shane back caleb light brother lawrence force jules girl slot anime mick
  troy clara hall ellen philip percy guan castle richie alicia alison violet gook gideon debbie
  ruth gibbs freddy pierce hector harvard sonny harper lauren bishop when east bond jade fiona
  felix luna club wade cisco melissa jessie diane madison saint samuel joan randy rory turner
  jutsu dexter rahul death miranda karl drive arjun chad benjamin wallace clarke curtis shelby
  valley jenna andre leslie felicity wyatt visual county juliet times there nicky hanna naomi
  great frost shik raven eugene avery unni ivan stanley ping agent winston arrow zhong ramen diaz
  randall eleanor sasha kane jared daphne sharon kirk andrea woon zach reggie school reed home
  joel wall amelia ella colin manager donald priya omar grayson palmer dark drew elvis hana
  dorothy doctor rosa hyeok samurai mitchell never erin anderson regina maddie baba lian buck mimi
  road mario sensei negro louise samantha gohan ahjussi audrey spock pound nikki morty lola xing
  north sofia ichigo glenn antonio english take ghost perry jonah hugo allison tess saul mission
  krishna qiao booth nicholas show shepherd lucky avenue nana krypton wolf tracy teresa noona
  graham brenda juan sandwich elijah cheryl barnes zack iran cody caitlin nelson power willie
  piece they orleans marvin theo bing beijing eden peng athena burke miao byul adrian conrad
  sandra pedro girls erik bruno taiwan nadia angie gwen robbie dwight heart merlin hunt paula roll
  lake donnie mexico life buddy ramyeon abigail dante kung kyeong south luis kennedy belle austin
  rosie evelyn river patty about shang gangnam flynn beverly bernard kitty prince swat dawn connie
  calvin chandler boom atlanta dallas lorenzo monroe jeffrey collins gray taek reum gabe intel
  hulk freddie carson thea irene claudia news frasier dani serena carla think lizzie ahjumma rudy
  shao fail ranger hercules griffin sophia fury wally einstein sullivan lobster jonas drake more
  garcia bear away pope over melanie byun callie brody yeol thompson hiro isabel foster silver
  elaine baker elsa nico simone stuart season woody beom geon pearl jamal garrett beck cass ching
  haru please zeus seven taco sing smurf ellis courtney bennett alec tiffany music summer murray
  seul nolan lionel baseball cruz lloyd trent annalise denise shaun need yard rohan hills damn
  chow hood captain candy raju penguin ollie edgar fuck inuyasha karan mein amazon arizona abraham
  hudson chong fort carolina hinata kansas sunbae hyungnim been hamilton duncan peggy malik ward
  jasper sidney scotty feel avengers gabby erica bernie sonia fans chelsea dawson brady mercedes
  blair byeol familiar beach detroit rang willy prime viktor agnes loki anton mood otto pierre
  thanks hard luther chuan shadow bangkok porter national wing darius center okey sookie reese
  lester esther heng momo sheila ohio asgard douglas dance shirley lori dream schmidt vital arnold
  moore five falls ally stevie chester kumar camille line lynn klingon becca lenny league marshal
  ragnar phillip buzz hans steak mcgee gavin pose bunny jungle crystal american marc vikram morris
  helena rogers polly izzy florence ravi luca stacy rain kwan bones rohit fish maurice flint mina
  state incheon robinson cross ezra musa shil daddy tucker rich broadway marina janice quentin
  lila julien denmark brett marcel point fisher campbell mills soul silas trailer anita doyle
  bradley carly square daryl guang rahim lara lapd margot sailor chao torres four rico matty
  lisbon chopper mack billie jasmine judith alaska apple dubai could jace frodo casino apollo move
  vegeta america natasha harley speed hawk check nypd madrid mong isabella mouse panda mandy bryce
  cliff eyes tammy hammond otis brooke adams pink pilar trish shannon leah puss magic jedi echo
  stewart empire cyrus three lorraine bryan jude clyde only pepper patricia kabir nikita cage
  whitney susie ramon usopp georgie jerome atlantis akira ajay company joshua warp count general
  vijay maddy boys roland damien astrid action archer zeke yeom mail mountain dominic baron first
  milo cheers them cynthia solomon javier cause burt ronald chou stevens hiccup vivian andrews
  reid hugh honey tech eren alma valerie zhan reynolds newton shinichi guardian land poong again
  tanner finch joyce queens beast denver hung quan edited live cheong marley bart haley glen
  diamond zoom liberty dude timmy hayes groot boris wanda santiago kathy wanna kurosaki eagle
  hughes duan jose brooks louie shinobi watch town hollow base darren union ernie oswald elite
  keen devon poppy palace nash gale fitz monty winter society fire rangers dalton weekly gregory
  rika fran beckett gilbert evans uber sugar sherman addison phantom woman portland malaysia
  michigan neal coco call swan aurora julius cherry brennan carlo ginny brothers deep killua going
  trek donovan princess ginseng dead piccolo cheung wine gibson tell mongolia melinda baxter some
  laurie latte goryeo sadie starling erika trunks cora through heung peterson ryung paulie ferrari
  pang yuki millie kayla marquis knight wesley wonder elias crawford jorge josie bree eomma
  jacques wild were would fernando marta shift marion donny sloan thanos jarvis missy sweet sawyer
  colorado trump cristina cathy benji shelly fletcher oden capitol aang oxford zoey nobita prem
  look around madame gerry anjali timing kyoto bull price montana eonni osaka tobias mira elise
  alexis viking side pentagon bunker interpol sweter shaolin mayday tate milton daily finis abel
  nice holden artie stanford face pooja doris norma lyle suriah secret milan kenshin single
  clayton kaoru isabelle tristan jenkins give still yale selina danielle hang gandhi cobra blaine
  neul enzo takagi find stress dixon gender wick prom sonic aiden madeline leonardo bombay candace
  mami mariana sylvia sync lung clive semen mister hayley creek hook clarence sabrina gates
  natsume darcy harlem mother football veer simmons heights powell fashion marilyn savage reagan
  start garden pike where russ rufus lilly kendall unicorn hokage kakashi sanji zoro boruto konoha
  mouri hajime jodha hwarang ajussi
`);
